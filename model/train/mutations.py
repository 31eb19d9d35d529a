"""Mutation operators: rewrite an efficient real function into a slower equivalent.

Each operator looks for one site inside a function, and returns byte edits on the whole file plus
the category of the inefficiency it injects. The lines it touches become the positive token tags.
Operators bail out when they cannot see that the rewrite keeps the function's behaviour for the
usual types (a set built in the function, a single ``for`` clause, ...); "equivalent" means same
result for the types the surrounding code obviously uses, not a proof.

The operators (name — category — what it does):

 1. set_to_list            — complexity — a set built in the function and used for ``in`` becomes
                             a list (``set()``→``list()``, ``.add``→``.append``): O(1) → O(n) lookups.
 2. membership_list_copy   — complexity — inside a loop, ``x in coll`` becomes ``x in list(coll)``.
 3. dict_get_to_scan       — complexity — ``d.get(k, default)`` becomes a linear scan of
                             ``d.items()``.
 4. deque_to_list          — complexity — ``deque`` becomes ``list``: ``popleft()``→``pop(0)``,
                             ``appendleft(x)``→``insert(0, x)``.
 5. min_max_via_sort       — complexity — ``min(xs)``/``max(xs)`` becomes ``sorted(xs)[0]``/``[-1]``.
 6. bisect_to_linear       — complexity — ``bisect_left/right(a, x)`` becomes a linear ``enumerate``
                             scan.
 7. append_to_concat       — complexity — in a loop, ``acc.append(x)`` becomes ``acc = acc + [x]``
                             (quadratic copying).
 8. membership_via_count   — complexity — ``x in xs`` on a list becomes ``xs.count(x) > 0`` (always
                             scans the whole list).
 9. invariant_into_loop    — loops — an assignment just before a ``for`` loop, used only inside it and
                             not depending on it, moves into the loop body.
10. comprehension_to_loop  — loops — ``name = [e for x in xs if c]`` (list/set/dict) becomes an
                             explicit append/add/store loop.
11. extend_to_append_loop  — loops — ``acc.extend(xs)`` becomes ``for x in xs: acc.append(x)``.
12. enumerate_to_range_len — loops — ``for i, x in enumerate(xs)`` becomes
                             ``for i in range(len(xs)): x = xs[i]``.
13. join_to_concat         — idioms — ``"".join(...)`` of a comprehension, or of a list filled by
                             ``append``, becomes repeated string ``+=``.
14. set_literal_to_list    — idioms — ``x in {a, b, c}`` becomes ``x in [a, b, c]``.
15. uncache                — other — ``@lru_cache``/``@cache`` is removed (cached recursion
                             uncached); ``@cached_property`` becomes ``@property``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

from tree_sitter import Node

from hasten.analyzers.source import Source
from hasten.model.train.sites import (
    assigned_locally,
    call_parts,
    comparison_in,
    descendants,
    identifiers_named,
    in_loop,
    is_attribute_name,
    is_keyword_name,
    line_indent,
    name_assigned_dict,
    pick,
    shadowed,
    simple_assignment,
    starts_line,
    text,
)

Edit = tuple[int, int, str]  # replace data[start:end] with text


@dataclass(frozen=True)
class Mutation:
    operator: str
    category: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Operator:
    name: str
    category: str
    find: Callable[[Source, Node, random.Random], "list[Edit] | None"]


# -- operators -------------------------------------------------------------------------------


def op_set_to_list(src: Source, fn: Node, rng: random.Random):
    candidates = []
    for stmt in descendants(fn, "expression_statement"):
        sa = simple_assignment(stmt)
        if sa is None:
            continue
        name, value = sa
        n = text(src, name)
        edits: list[Edit] = []
        if value.type == "call":
            parts = call_parts(value)
            if parts is None or text(src, parts[0]) != "set" or len(parts[1]) > 1 or parts[2]:
                continue
            edits.append((parts[0].start_byte, parts[0].end_byte, "list"))
        elif value.type in ("set", "set_comprehension"):
            edits.append((value.start_byte, value.start_byte + 1, "["))
            edits.append((value.end_byte - 1, value.end_byte, "]"))
        else:
            continue
        uses = identifiers_named(fn, src, n)
        ok = True
        member = False
        for u in uses:
            p = u.parent
            if u.id == name.id:
                continue
            if p.type == "attribute" and p.child_by_field_name("object") == u:
                meth = p.child_by_field_name("attribute")
                m = text(src, meth)
                if m == "add":
                    edits.append((meth.start_byte, meth.end_byte, "append"))
                elif m == "update":
                    edits.append((meth.start_byte, meth.end_byte, "extend"))
                else:
                    ok = False
            elif p.type == "comparison_operator" and comparison_in(p) and p.named_children[1] == u:
                member = True
            elif p.type in ("assignment", "augmented_assignment") and p.child_by_field_name("left") == u:
                ok = False
            elif p.type in ("binary_operator", "augmented_assignment", "argument_list", "return_statement"):
                ok = False  # set algebra or escapes the function
        if ok and member:
            candidates.append(edits)
    return pick(rng, candidates)


def op_membership_list_copy(src: Source, fn: Node, rng: random.Random):
    if shadowed(fn, src, "list"):
        return None
    cands = []
    for c in descendants(fn, "comparison_operator"):
        parts = comparison_in(c)
        if parts is None or not in_loop(c, fn):
            continue
        right = parts[2]
        if right.type not in ("identifier", "attribute"):
            continue
        cands.append([(right.start_byte, right.end_byte, f"list({text(src, right)})")])
    return pick(rng, cands)


def op_dict_get_to_scan(src: Source, fn: Node, rng: random.Random):
    cands = []
    for call in descendants(fn, "call"):
        parts = call_parts(call)
        if parts is None:
            continue
        f, pos, kws = parts
        if f.type != "attribute" or kws or len(pos) not in (1, 2):
            continue
        if text(src, f.child_by_field_name("attribute")) != "get":
            continue
        obj = f.child_by_field_name("object")
        if obj.type not in ("identifier", "attribute") or text(src, obj) in ("self", "requests", "session"):
            continue
        if len(pos) == 1 and obj.type == "identifier" and not name_assigned_dict(fn, src, text(src, obj)):
            continue
        default = text(src, pos[1]) if len(pos) == 2 else "None"
        key = text(src, pos[0])
        new = f"next((_v for _k, _v in {text(src, obj)}.items() if _k == {key}), {default})"
        cands.append([(call.start_byte, call.end_byte, new)])
    return pick(rng, cands)


def op_deque_to_list(src: Source, fn: Node, rng: random.Random):
    if shadowed(fn, src, "list"):
        return None
    edits: list[Edit] = []
    for call in descendants(fn, "call"):
        parts = call_parts(call)
        if parts is None:
            continue
        f, pos, kws = parts
        ft = text(src, f)
        if ft in ("deque", "collections.deque") and not kws and len(pos) <= 1:
            edits.append((f.start_byte, f.end_byte, "list"))
        elif f.type == "attribute":
            attr = f.child_by_field_name("attribute")
            a = text(src, attr)
            if a == "popleft" and not pos and not kws:
                edits.append((attr.start_byte, call.end_byte, "pop(0)"))
            elif a == "appendleft" and len(pos) == 1 and not kws:
                edits.append((attr.start_byte, call.end_byte, f"insert(0, {text(src, pos[0])})"))
    if not any(e[2].startswith(("pop(0)", "insert(0")) for e in edits):
        return None
    return edits


def op_min_max_via_sort(src: Source, fn: Node, rng: random.Random):
    if shadowed(fn, src, "sorted"):
        return None
    cands = []
    for call in descendants(fn, "call"):
        parts = call_parts(call)
        if parts is None:
            continue
        f, pos, kws = parts
        name = text(src, f)
        if name not in ("min", "max") or len(pos) != 1 or shadowed(fn, src, name):
            continue
        if any(text(src, k.child_by_field_name("name")) != "key" for k in kws):
            continue
        arg = pos[0]
        inner = text(src, arg) if arg.type != "generator_expression" else text(src, arg)
        if arg.type == "generator_expression":
            inner = text(src, arg)[1:-1]
        extra = "".join(", " + text(src, k) for k in kws)
        idx = "0" if name == "min" else "-1"
        cands.append([(call.start_byte, call.end_byte, f"sorted({inner}{extra})[{idx}]")])
    return pick(rng, cands)


def op_bisect_to_linear(src: Source, fn: Node, rng: random.Random):
    cands = []
    for call in descendants(fn, "call"):
        parts = call_parts(call)
        if parts is None:
            continue
        f, pos, kws = parts
        name = text(src, f).rsplit(".", 1)[-1]
        if name not in ("bisect_left", "bisect_right", "bisect") or len(pos) != 2 or kws:
            continue
        if "." in text(src, f) and not text(src, f).startswith("bisect."):
            continue
        a, x = text(src, pos[0]), text(src, pos[1])
        cmp = ">=" if name == "bisect_left" else ">"
        new = f"next((_i for _i, _v in enumerate({a}) if _v {cmp} {x}), len({a}))"
        cands.append([(call.start_byte, call.end_byte, new)])
    return pick(rng, cands)


def op_append_to_concat(src: Source, fn: Node, rng: random.Random):
    cands = []
    for stmt in descendants(fn, "expression_statement"):
        if stmt.named_child_count != 1 or not in_loop(stmt, fn):
            continue
        call = stmt.named_children[0]
        parts = call_parts(call)
        if parts is None:
            continue
        f, pos, kws = parts
        if f.type != "attribute" or len(pos) != 1 or kws:
            continue
        obj = f.child_by_field_name("object")
        if obj.type != "identifier" or text(src, f.child_by_field_name("attribute")) != "append":
            continue
        n = text(src, obj)
        if not assigned_locally(fn, src, n):
            continue
        cands.append([(stmt.start_byte, stmt.end_byte, f"{n} = {n} + [{text(src, pos[0])}]")])
    return pick(rng, cands)


def op_membership_via_count(src: Source, fn: Node, rng: random.Random):
    cands = []
    for c in descendants(fn, "comparison_operator"):
        parts = comparison_in(c)
        if parts is None:
            continue
        left, op, right = parts
        if right.type != "identifier" or not assigned_locally(fn, src, text(src, right)):
            continue
        cmp = "> 0" if op == "in" else "== 0"
        cands.append([(c.start_byte, c.end_byte, f"{text(src, right)}.count({text(src, left)}) {cmp}")])
    return pick(rng, cands)


def op_invariant_into_loop(src: Source, fn: Node, rng: random.Random):
    cands = []
    for block in descendants(fn, "block"):
        stmts = [c for c in block.named_children if c.type != "comment"]
        for a, loop in zip(stmts, stmts[1:]):
            if loop.type != "for_statement":
                continue
            sa = simple_assignment(a)
            if sa is None or src.line_of_byte(a.start_byte) != src.line_of_byte(a.end_byte):
                continue
            name, value = sa
            if value.type not in ("call", "attribute", "subscript", "binary_operator"):
                continue
            n = text(src, name)
            body = loop.child_by_field_name("body")
            if body is None or not body.named_children:
                continue
            uses = [u for u in identifiers_named(fn, src, n) if u.id != name.id]
            if not uses or any(not (body.start_byte <= u.start_byte < body.end_byte) for u in uses):
                continue
            if any(u.parent.type in ("assignment", "augmented_assignment") and u.parent.child_by_field_name("left") == u for u in uses):
                continue
            from hasten.model.features import _bound_names

            loop_bound = _bound_names(loop, src.data)
            value_names = {text(src, i) for i in descendants(value, "identifier") if not is_attribute_name(i) and not is_keyword_name(i)}
            if value.type == "identifier":
                value_names.add(text(src, value))
            if value_names & loop_bound:
                continue
            first = body.named_children[0]
            if not starts_line(src, first) or not starts_line(src, a):
                continue
            indent = line_indent(src, first.start_byte)
            line = src.line_of_byte(a.start_byte)
            line_start = src.line_starts[line]
            line_end = src.line_end(line, with_newline=True)
            stmt_text = text(src, a)
            first_line_start = src.line_starts[src.line_of_byte(first.start_byte)]
            cands.append([(line_start, line_end, ""), (first_line_start, first_line_start, indent + stmt_text + src.newline)])
    return pick(rng, cands)


def _comprehension_loop(src: Source, comp: Node, indent: str, init: str, target: str) -> list[str] | None:
    """Lines of an explicit loop equivalent to ``comp``, accumulating into ``target``."""
    fors = [c for c in comp.named_children if c.type == "for_in_clause"]
    ifs = [c for c in comp.named_children if c.type == "if_clause"]
    if len(fors) != 1 or "async" in text(src, fors[0]).split()[:1]:
        return None
    body = comp.child_by_field_name("body")
    if body is None:
        return None
    if any(c.type == "comment" for c in comp.named_children):
        return None
    clause = fors[0]
    left, right = clause.child_by_field_name("left"), clause.child_by_field_name("right")
    if left is None or right is None:
        return None
    step = "    "
    lines = [f"{indent}{target} = {init}", f"{indent}for {text(src, left)} in {text(src, right)}:"]
    inner = indent + step
    if ifs:
        conds = " and ".join(f"({text(src, i.named_children[0])})" if len(ifs) > 1 else text(src, i.named_children[0]) for i in ifs)
        lines.append(f"{inner}if {conds}:")
        inner += step
    if comp.type == "list_comprehension":
        lines.append(f"{inner}{target}.append({text(src, body)})")
    elif comp.type == "set_comprehension":
        lines.append(f"{inner}{target}.add({text(src, body)})")
    elif comp.type == "dictionary_comprehension":
        k, v = body.child_by_field_name("key"), body.child_by_field_name("value")
        if k is None or v is None:
            return None
        lines.append(f"{inner}{target}[{text(src, k)}] = {text(src, v)}")
    elif comp.type == "generator_expression" and init in ("''", '""'):
        lines.append(f"{inner}{target} += {text(src, body)}")
    else:
        return None
    if any("\n" in line for line in lines):
        return None
    return lines


def op_comprehension_to_loop(src: Source, fn: Node, rng: random.Random):
    cands = []
    for stmt in descendants(fn, "expression_statement"):
        sa = simple_assignment(stmt)
        if sa is None or not starts_line(src, stmt):
            continue
        name, value = sa
        init = {"list_comprehension": "[]", "set_comprehension": "set()", "dictionary_comprehension": "{}"}.get(value.type)
        if init is None:
            continue
        if identifiers_named(value, src, text(src, name)):
            continue  # ``xs = [x for x in xs]`` would read the half-built accumulator
        lines = _comprehension_loop(src, value, line_indent(src, stmt.start_byte), init, text(src, name))
        if lines is None:
            continue
        start = src.line_starts[src.line_of_byte(stmt.start_byte)]
        cands.append([(start, stmt.end_byte, src.newline.join(lines))])
    return pick(rng, cands)


def op_extend_to_append_loop(src: Source, fn: Node, rng: random.Random):
    cands = []
    for stmt in descendants(fn, "expression_statement"):
        if stmt.named_child_count != 1 or not starts_line(src, stmt):
            continue
        parts = call_parts(stmt.named_children[0])
        if parts is None:
            continue
        f, pos, kws = parts
        if f.type != "attribute" or len(pos) != 1 or kws:
            continue
        if text(src, f.child_by_field_name("attribute")) != "extend":
            continue
        indent = line_indent(src, stmt.start_byte)
        obj = text(src, f.child_by_field_name("object"))
        arg = pos[0]
        it = text(src, arg)[1:-1] if arg.type == "generator_expression" else text(src, arg)
        if "\n" in it:
            continue
        new = f"{indent}for _item in {it}:{src.newline}{indent}    {obj}.append(_item)"
        start = src.line_starts[src.line_of_byte(stmt.start_byte)]
        cands.append([(start, stmt.end_byte, new)])
    return pick(rng, cands)


def op_enumerate_to_range_len(src: Source, fn: Node, rng: random.Random):
    if shadowed(fn, src, "range") or shadowed(fn, src, "len"):
        return None
    cands = []
    for loop in descendants(fn, "for_statement"):
        left, right, body = (loop.child_by_field_name(k) for k in ("left", "right", "body"))
        if left is None or right is None or body is None or not body.named_children:
            continue
        parts = call_parts(right)
        if parts is None or text(src, parts[0]) != "enumerate" or len(parts[1]) != 1 or parts[2]:
            continue
        seq = parts[1][0]
        if seq.type not in ("identifier", "attribute"):
            continue
        if left.type not in ("pattern_list", "tuple_pattern") or left.named_child_count != 2:
            continue
        i, x = left.named_children
        if i.type != "identifier":
            continue
        first = body.named_children[0]
        if not starts_line(src, first):
            continue
        indent = line_indent(src, first.start_byte)
        first_line_start = src.line_starts[src.line_of_byte(first.start_byte)]
        cands.append(
            [
                (left.start_byte, right.end_byte, f"{text(src, i)} in range(len({text(src, seq)}))"),
                (first_line_start, first_line_start, f"{indent}{text(src, x)} = {text(src, seq)}[{text(src, i)}]{src.newline}"),
            ]
        )
    return pick(rng, cands)


def op_join_to_concat(src: Source, fn: Node, rng: random.Random):
    cands = []
    for call in descendants(fn, "call"):
        parts = call_parts(call)
        if parts is None:
            continue
        f, pos, kws = parts
        if f.type != "attribute" or len(pos) != 1 or kws:
            continue
        sep = f.child_by_field_name("object")
        if text(src, f.child_by_field_name("attribute")) != "join" or text(src, sep) not in ("''", '""'):
            continue
        arg = pos[0]
        stmt = call.parent
        # Variant A: the argument is a comprehension and the call is a whole assignment/return.
        if arg.type in ("generator_expression", "list_comprehension") and stmt is not None:
            holder = stmt.parent if stmt.type == "assignment" else stmt
            if stmt.type == "assignment" and stmt.child_by_field_name("right") == call:
                target = text(src, stmt.child_by_field_name("left"))
                if stmt.child_by_field_name("left").type != "identifier":
                    continue
            elif stmt.type == "return_statement":
                target = "_joined"
            else:
                continue
            if holder is None or not starts_line(src, holder):
                continue
            if identifiers_named(arg, src, target):
                continue
            comp = arg
            indent = line_indent(src, holder.start_byte)
            fake_type = "generator_expression"
            lines = _comprehension_loop(src, comp, indent, "''", target) if comp.type == fake_type else None
            if comp.type == "list_comprehension":
                lines = _comprehension_loop(src, comp, indent, "[]", target)
                if lines:
                    lines[0] = f"{indent}{target} = ''"
                    lines[-1] = lines[-1].replace(f"{target}.append(", f"{target} += (", 1)
            if not lines:
                continue
            if stmt.type == "return_statement":
                lines.append(f"{indent}return {target}")
            start = src.line_starts[src.line_of_byte(holder.start_byte)]
            cands.append([(start, holder.end_byte, src.newline.join(lines))])
        # Variant B: ``parts = []`` ... ``parts.append(x)`` ... ``"".join(parts)``.
        elif arg.type == "identifier":
            n = text(src, arg)
            uses = identifiers_named(fn, src, n)
            edits: list[Edit] = [(call.start_byte, call.end_byte, n)]
            ok, init = True, False
            for u in uses:
                if u.id == arg.id:
                    continue
                p = u.parent
                if p.type == "assignment" and p.child_by_field_name("left") == u:
                    v = p.child_by_field_name("right")
                    if v is not None and v.type == "list" and v.named_child_count == 0 and not init:
                        edits.append((v.start_byte, v.end_byte, "''"))
                        init = True
                        continue
                    ok = False
                elif p.type == "attribute" and text(src, p.child_by_field_name("attribute")) == "append":
                    c = p.parent
                    cp = call_parts(c) if c is not None else None
                    if cp is None or len(cp[1]) != 1 or cp[2] or c.parent.type != "expression_statement":
                        ok = False
                        continue
                    edits.append((c.start_byte, c.end_byte, f"{n} += {text(src, cp[1][0])}"))
                else:
                    ok = False
            if ok and init and len(edits) >= 3:
                cands.append(edits)
    return pick(rng, cands)


def op_set_literal_to_list(src: Source, fn: Node, rng: random.Random):
    cands = []
    for c in descendants(fn, "comparison_operator"):
        parts = comparison_in(c)
        if parts is None or parts[2].type != "set":
            continue
        s = parts[2]
        cands.append([(s.start_byte, s.start_byte + 1, "["), (s.end_byte - 1, s.end_byte, "]")])
    return pick(rng, cands)


def op_uncache(src: Source, fn: Node, rng: random.Random):
    parent = fn.parent
    if parent is None or parent.type != "decorated_definition":
        return None
    for dec in parent.named_children:
        if dec.type != "decorator":
            continue
        t = text(src, dec)
        body = t.lstrip("@").strip()
        head = body.split("(")[0].rsplit(".", 1)[-1]
        if head in ("lru_cache", "cache"):
            line = src.line_of_byte(dec.start_byte)
            if not starts_line(src, dec):
                return None
            return [(src.line_starts[line], src.line_end(line, with_newline=True), "")]
        if head == "cached_property":
            name_start = dec.start_byte + t.index(body.split("(")[0])
            return [(name_start, name_start + len(body.split("(")[0]), "property")]
    return None


OPERATORS: tuple[Operator, ...] = (
    Operator("set_to_list", "complexity", op_set_to_list),
    Operator("membership_list_copy", "complexity", op_membership_list_copy),
    Operator("dict_get_to_scan", "complexity", op_dict_get_to_scan),
    Operator("deque_to_list", "complexity", op_deque_to_list),
    Operator("min_max_via_sort", "complexity", op_min_max_via_sort),
    Operator("bisect_to_linear", "complexity", op_bisect_to_linear),
    Operator("append_to_concat", "complexity", op_append_to_concat),
    Operator("membership_via_count", "complexity", op_membership_via_count),
    Operator("invariant_into_loop", "loops", op_invariant_into_loop),
    Operator("comprehension_to_loop", "loops", op_comprehension_to_loop),
    Operator("extend_to_append_loop", "loops", op_extend_to_append_loop),
    Operator("enumerate_to_range_len", "loops", op_enumerate_to_range_len),
    Operator("join_to_concat", "idioms", op_join_to_concat),
    Operator("set_literal_to_list", "idioms", op_set_literal_to_list),
    Operator("uncache", "other", op_uncache),
)
OPERATORS_BY_NAME = {op.name: op for op in OPERATORS}


def apply_edits(data: bytes, edits: list[Edit]) -> tuple[bytes, list[tuple[int, int]]]:
    """Apply non-overlapping edits; returns the new bytes and the new byte ranges of each edit."""
    ordered = sorted(edits, key=lambda e: (e[0], e[1]))
    for (s1, e1, _), (s2, _, _) in zip(ordered, ordered[1:]):
        if s2 < e1:
            raise ValueError("overlapping edits")
    out = bytearray()
    ranges = []
    pos = 0
    for s, e, t in ordered:
        out += data[pos:s]
        start = len(out)
        out += t.encode("utf-8")
        ranges.append((start, len(out)))
        pos = e
    out += data[pos:]
    return bytes(out), ranges


def mutate(src: Source, fn: Node, op: Operator, rng: random.Random) -> Mutation | None:
    try:
        edits = op.find(src, fn, rng)
    except (AttributeError, IndexError, ValueError):
        return None
    if not edits:
        return None
    return Mutation(op.name, op.category, tuple(edits))
