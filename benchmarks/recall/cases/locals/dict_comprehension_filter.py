# recall case: membership inside a dict comprehension over a local list
# expect: HS101@7 "if k not in private"


def public_fields(obj_dict, schema):
    private = [f.name for f in schema if f.private]
    return {k: v for k, v in obj_dict.items() if k not in private}
