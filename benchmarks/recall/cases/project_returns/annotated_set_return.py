# recall case: helper annotated `-> set[str]`
# expect: silent
# why: the return annotation says set.


def admin_names(users) -> set[str]:
    return {u.name for u in users if u.admin}


def flag(events, users):
    admins = admin_names(users)
    return [e for e in events if e.user in admins]
