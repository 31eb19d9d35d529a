"""HS103 string-concat-in-loop: ``s += piece`` vs collecting parts and joining once."""

from benchmarks.rules._harness import Bench, main


def setup(n):
    return ([f"<li>{i}</li>" for i in range(n)],)


def slow(rows):
    html = ""
    for row in rows:
        html += row
    return html


def fast(rows):
    html_parts = []
    for row in rows:
        html_parts.append(row)
    return "".join(html_parts)


class Page:
    text = ""


def slow_shared(rows):
    # A second reference (here: an attribute) defeats CPython's in-place resize.
    page = Page()
    page.text = ""
    for row in rows:
        page.text += row
    return page.text


BENCHES = [
    Bench("HS103", "local str +=", setup, slow, fast, description="n short pieces into a local string"),
    Bench("HS103", "str += on an attribute", setup, slow_shared, fast,
          description="the same pieces into an attribute: no in-place resize", sizes=(1_000, 10_000)),
]

if __name__ == "__main__":
    raise SystemExit(main(BENCHES))
