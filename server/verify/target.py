"""Which function a fix changes: its qualified name, as Python's ``co_qualname`` spells it."""

from __future__ import annotations

from dataclasses import dataclass

from hasten.analyzers.finding import Fix
from hasten.analyzers.source import Source


MODULE = "<module>"  # the qualname Python gives a module's own code


@dataclass(frozen=True)
class Target:
    qualname: str  # "f", "Class.method", "outer.<locals>.inner", or "<module>"
    line: int  # 1-based line of the ``def``
    start: int  # byte span of the function definition (decorators excluded)
    end: int

    @property
    def is_module(self) -> bool:
        return self.qualname == MODULE

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


def _name(node) -> str:
    child = node.child_by_field_name("name")
    return child.text.decode("utf-8", errors="replace") if child is not None else "?"


def qualname_of(function) -> str:
    parts = [_name(function)]
    node = function.parent
    while node is not None:
        if node.type == "function_definition":
            parts.append("<locals>")
            parts.append(_name(node))
        elif node.type == "class_definition":
            parts.append(_name(node))
        node = node.parent
    return ".".join(reversed(parts))


def _innermost_function(source: Source, offset: int):
    node = source.tree.root_node.descendant_for_byte_range(offset, offset)
    while node is not None:
        if node.type == "function_definition" and node.start_byte <= offset < node.end_byte:
            return node
        node = node.parent
    return None


def target_of(source: Source, fix: Fix) -> Target | None:
    """The function the fix's edits fall in; edits outside any function (imports added at the top)
    are allowed alongside. ``<module>`` when every edit is outside functions; None when the edits
    span several functions."""
    functions = {}
    for edit in fix.edits:
        function = _innermost_function(source, edit.start)
        if function is None:
            continue
        functions[(function.start_byte, function.end_byte)] = function
    if not functions:
        # Module-level code (a script): the tests that execute the module reach it.
        return Target(MODULE, 1, 0, len(source.data))
    # Nested functions: the outermost one contains every change and is what tests call.
    spans = sorted(functions, key=lambda s: (s[0], -s[1]))
    outer = spans[0]
    if any(not (outer[0] <= s[0] and s[1] <= outer[1]) for s in spans):
        return None
    function = functions[outer]
    line = source.byte_to_cli(function.start_byte)[0]
    return Target(qualname_of(function), line, function.start_byte, function.end_byte)
