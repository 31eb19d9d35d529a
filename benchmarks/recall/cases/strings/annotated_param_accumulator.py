# recall case: `prefix: str` parameter extended in a loop
# expect: HS103@7 "prefix += "


def join_path(prefix: str, parts) -> str:
    for part in parts:
        prefix += "/" + part
    return prefix
