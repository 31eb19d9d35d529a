# recall case: set comprehension filtering by a sorted list
# expect: HS101@7 "if u not in admins"


def regular_users(users, admin_names):
    admins = sorted(admin_names)
    return {u for u in users if u not in admins}
