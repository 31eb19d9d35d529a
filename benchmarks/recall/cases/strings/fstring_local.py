# recall case: local string built with `+=` of f-strings (the shape the rules already prove)
# expect: HS103@8 "html += f"


def render(items):
    html = "<ul>"
    for item in items:
        html += f"<li>{item}</li>"
    return html + "</ul>"
