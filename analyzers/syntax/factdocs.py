"""The documentation text of the facts a rule uses (its ``facts`` field): written once, quoted by
every rule that asks the fact layer."""

from __future__ import annotations


def list_facts_doc(subject: str, annotations: str = "`list[...]`, `List[...]` (with `Optional`/`| None`)") -> str:
    """The ``facts`` text of a rule that asks whether ``subject`` is a list (its documentation)."""
    return f"""
The kind of the {subject} comes from the fact layer: a list built in the same scope (display,
comprehension, `list(...)`, `sorted(...)`), a parameter or variable annotated {annotations},
`self.x` when every assignment in the class (and in its subclasses in the same file) is a list,
the return statements or return annotation of a function or method in the same file, and
standard-library calls with a fixed result (`str.split`, `splitlines`, `readlines`,
`re.findall`, `os.listdir`, `glob.glob`). Every binding must agree; a name rebound to anything
else is unknown and not flagged. The message says where the fact came from. A fact from an
annotation is trusted for the finding but the fix is unsafe (or not offered) unless the code
itself builds the value. Module-level code and `if __name__ == "__main__":` blocks are analysed
like a function body.
"""


def size_facts_doc(subject: str) -> str:
    """The ``facts`` text about sizes, for a rule that reports only when ``subject`` can be large."""
    return f"""
Size: the rule reports only when the fact layer sees evidence that the {subject} can be large
(`analyzers/syntax/sizes.py`): it comes from a parameter (its size is the caller's; a parameter
defaulting to a literal is an option, and a private helper's parameter is as large as what the
file passes it), from input (`open`, `input()`, `read`, `readlines`, `json.load`, `sys.stdin`,
`sys.argv`, `os.listdir`, `glob`, `subprocess`), from a comprehension, `list(...)`, `sorted(...)`
or `range(len(...))` over such data, from `range(N)` with N of 100 or more, from a list or dict
filled in a loop over such data (or in a `while` loop), or from `self.x` filled in a loop or by a
method other than `__init__`. A literal, a display of constants, `range` of a small constant, a
split of one path or dotted name, or data it cannot trace is not evidence.
"""
