# recall case: appending to an annotated `list[str]` parameter: `out.extend([...])`
# expect: HS301@7 "out.append(str(v))"


def render_into(values, out: list[str]) -> None:
    for v in values:
        out.append(str(v))
