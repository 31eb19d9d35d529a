# recall case: parts collected and joined once
# expect: silent
# why: this is already the rewrite.


def render(items):
    parts = [f"<li>{i}</li>" for i in items]
    return "<ul>" + "".join(parts) + "</ul>"
