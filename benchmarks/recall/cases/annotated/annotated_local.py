# recall case: local annotated `list[str]` filled from a call the checker cannot see into
# expect: HS101@8 "if user.email in admins"


def flag_admins(users, load_admins):
    admins: list[str] = load_admins()
    for user in users:
        if user.email in admins:
            user.is_admin = True
