"""Code that rarely runs: demos, pretty-printers, interactive prompts and GUI modules.

A finding there is true but never worth a change: the code runs once per user action, on the
handful of items a person looks at. Rules whose findings only matter when code runs often ask
:func:`in_cold_code` before reporting.
"""

from __future__ import annotations

from tree_sitter import Node

from hasten.analyzers.syntax.calls import call_name
from hasten.analyzers.syntax.imports import is_unshadowed_builtin
from hasten.analyzers.syntax.tree import ancestors, check_memo, function_name, parent_of, root_of, walk_same_scope

# Functions that exist to show something to a person.
COLD_FUNCTION_NAMES = frozenset(
    {"demo", "pprint", "pretty_print", "prettyprint", "show", "draw", "display", "interactive_demo"}
)
LOOP_TYPES = ("for_statement", "while_statement")
GUI_MODULES = frozenset({"tkinter", "Tkinter", "turtle"})


def prompts_user(node: Node) -> bool:
    """``node`` (in its own scope) asks a person something: the builtin ``input()`` with a prompt
    (``input("Name? ")``). A bare ``input()`` reads data — the input of a competitive-programming
    solution or a filter script, whose loops are the program's hot code — and does not count."""
    if b"input" not in node.text:  # most code has none; the walk below costs the size of ``node``
        return False
    for child in walk_same_scope(node):
        if child.type == "call" and call_name(child) == "input":
            function = child.child_by_field_name("function")
            arguments = child.child_by_field_name("arguments")
            if function is not None and is_unshadowed_builtin(function) and arguments is not None \
                    and any(a.type != "comment" for a in arguments.named_children):
                return True
    return False


def cold_function_name(name: str | None) -> bool:
    if not name:
        return False
    return (
        name in COLD_FUNCTION_NAMES
        or name.startswith(("demo_", "test_"))
        or name.endswith("_demo")
    )


def imports_gui(root: Node) -> bool:
    """The module imports a GUI toolkit (``tkinter``) at its top level."""
    for statement in root.named_children:
        if statement.type not in ("import_statement", "import_from_statement"):
            continue
        for child in statement.named_children:
            name = child.child_by_field_name("name") if child.type == "aliased_import" else child
            if name is None:
                continue
            if name.type in ("dotted_name", "relative_import") and name.text.decode().split(".")[0] in GUI_MODULES:
                return True
            if statement.type == "import_from_statement":
                break  # only the module name of ``from X import ...`` counts
    return False


def in_cold_code(node: Node) -> bool:
    """``node`` sits in code that rarely runs: a function named like a demo, pretty-printer or
    test (``demo``, ``*_demo``, ``pprint``, ``show``, ``draw``, ``display``, ``test_*``: a test runs
    once, on the few items it builds), a ``main`` that prompts a person (``input("...? ")``), a
    loop that prompts each time round, or a module importing tkinter. Loops reading data with a
    bare ``input()`` (scripts, competitive programming) are hot code, not cold."""
    memo = check_memo("cold")
    if memo is None:
        return any(_makes_cold(parent) for parent in ancestors(node)) or imports_gui(root_of(node))
    if node in memo:
        return memo[node]
    path = [node]  # walking up: the answer for a node is its parent's, or its parent makes it cold
    above = None
    for parent in ancestors(node):
        if parent in memo:
            above = memo[parent]
            break
        path.append(parent)
    if above is None:  # path[-1] is the root
        above = imports_gui(path[-1])
        memo[path.pop()] = above
    for seen in reversed(path):
        above = above or _makes_cold(parent_of(seen))
        memo[seen] = above
    return above


def _makes_cold(parent: Node) -> bool:
    """The code inside ``parent`` (a function or loop) is cold because of ``parent`` itself."""
    if parent.type == "function_definition":
        name = function_name(parent)
        if cold_function_name(name):
            return True
        if name == "main" and prompts_user(parent):
            return True
    elif parent.type in LOOP_TYPES:
        body = parent.child_by_field_name("body")
        if body is not None and prompts_user(body):
            return True
    return False
