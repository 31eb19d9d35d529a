# recall case: annotated list parameter tested once, outside any loop
# expect: silent
# why: one membership test is one scan; nothing repeats.


def is_admin(user, admins: list[str]) -> bool:
    return user.name in admins
