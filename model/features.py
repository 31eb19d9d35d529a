"""The one feature path shared by training and inference.

A *unit* is a function (with its decorators) or the module-level code outside functions and
classes. Each unit becomes a sequence of tokens read off the tree-sitter tree:

* keywords, operators and punctuation are kept as they are;
* names bound inside the unit (parameters, assignment/loop/with/except targets, local imports)
  are renamed by order of first appearance to ``v0``, ``v1``, ... — so renaming a variable does
  not change the features; ``self`` and ``cls`` stay themselves;
* builtins (``len``, ``set``, ``sorted``, ...) become ``b:NAME``; other free names (module
  globals, imported modules such as ``bisect`` or ``deque``) become ``g:NAME``;
* attribute and method names become ``.NAME`` (``.append``, ``.pop``, ``.join``, ``.keys``);
  keyword arguments become ``kw:NAME``;
* literal values are normalized: strings to ``<str>``/``<fstr>``, numbers to ``<num>``/``<float>``
  except the small integers 0, 1, 2 and -1 that carry meaning (``pop(0)``, ``[-1]``);
* ``<block>``/``</block>`` mark indented blocks, so nesting survives as structure;
* docstrings and comments are dropped;
* the layout is canonical: grouping parentheses (``if (s < 0):``, ``x = (a, b)``), trailing
  commas, semicolons and empty class bases leave no token, and a generator passed as the only
  argument reads the same with or without its own parentheses — so ``ast.unparse`` round trips
  and reformatting give the same tokens.

Every token also carries the byte offset where it starts (so it can be mapped to a source line)
and its loop depth (how many loops or comprehensions enclose it, capped at ``MAX_DEPTH``).

The vocabulary maps tokens to ids; it is built at training time and saved as JSON next to the
model. Tokens outside it fall back to class ids (``<attr>``, ``<name>``, ``<unk>``).

This module must stay importable without torch or transformers.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np
from tree_sitter import Node, Query, QueryCursor

from hasten.analyzers.qualname import qualified_name
from hasten.analyzers.source import PYTHON, Source

MAX_LEN = 256  # tokens per window, including the leading <cls>
WINDOW_STRIDE = 192  # long units are scored as overlapping windows
MAX_DEPTH = 3
MAX_LOCALS = 24  # locals beyond this share the last name

PAD, UNK, CLS, ATTR, NAME, KW = "<pad>", "<unk>", "<cls>", "<attr>", "<name>", "<kw>"
SPECIAL_TOKENS = (PAD, UNK, CLS, ATTR, NAME, KW)
BLOCK_TOKENS = ("<block>", "</block>")

# The kinds of cost the model can name (its category head); "none" is "no known extra cost".
CATEGORIES = (
    "none",
    "linear-search",
    "repeated-sort",
    "string-building",
    "recomputed-aggregate",
    "nested-loop-join",
    "exponential-recursion",
    "list-queue",
    "slice-copy",
    "needless-copy",
    "list-concatenation",
    "brute-force",
    "invariant-in-loop",
)

_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))

_FUNCTION = "function_definition"
_CLASS = "class_definition"
_DECORATED = "decorated_definition"
_LOOPS = frozenset(
    {
        "for_statement",
        "while_statement",
        "list_comprehension",
        "set_comprehension",
        "dictionary_comprehension",
        "generator_expression",
    }
)
_STRINGS = frozenset({"string", "concatenated_string"})
# Parentheses of these nodes only group: they leave no token.
_GROUPING = frozenset({"parenthesized_expression", "tuple", "tuple_pattern", "parenthesized_list_splat"})
_SMALL_INTS = {"0": "0", "1": "1", "2": "2"}
_SKIP = frozenset({"comment", "line_continuation"})
# Top-level statements that never belong to the module unit.
_MODULE_SKIP = frozenset(
    {
        _FUNCTION,
        _CLASS,
        _DECORATED,
        "import_statement",
        "import_from_statement",
        "future_import_statement",
        "comment",
    }
)


@dataclass
class Unit:
    """A function or the module-level block, with its tokens."""

    qualname: str
    kind: str  # "function" or "module"
    start_byte: int
    end_byte: int
    start_line: int  # 1-based
    end_line: int  # 1-based, inclusive
    tokens: list[str] = field(default_factory=list)
    token_lines: list[int] = field(default_factory=list)  # 1-based line of each token
    token_depths: list[int] = field(default_factory=list)
    text: str = ""  # the unit's source text: the cache key
    # ``tokens=False``: fills the token lists on ``ensure_tokens()``; given the unit, not holding
    # it (a cycle would keep each revision's tree alive until the garbage collector ran).
    pending: Callable[["Unit"], None] | None = field(default=None, repr=False, compare=False)

    def ensure_tokens(self) -> "Unit":
        """The unit with its tokens (tokenized now if it was made without them)."""
        if self.pending is not None:
            fill, self.pending = self.pending, None
            fill(self)
        return self


# -- binding analysis ------------------------------------------------------------------------


def _target_identifiers(node: Node) -> Iterator[Node]:
    """Identifiers bound by an assignment-like target (not attributes or subscripts)."""
    stack = [node]  # iterative: a target can nest as deep as the source does
    while stack:
        node = stack.pop()
        if node.type == "identifier":
            yield node
        elif node.type not in ("attribute", "subscript"):
            stack.extend(reversed(node.named_children))


def _parameter_identifiers(params: Node) -> Iterator[Node]:
    for child in params.named_children:
        if child.type == "identifier":
            yield child
        elif child.type in ("default_parameter", "typed_default_parameter"):
            name = child.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                yield name
        elif child.type in ("typed_parameter", "list_splat_pattern", "dictionary_splat_pattern"):
            for sub in child.named_children:
                if sub.type == "identifier":
                    yield sub
                    break
                if sub.type in ("list_splat_pattern", "dictionary_splat_pattern"):
                    for inner in sub.named_children:
                        if inner.type == "identifier":
                            yield inner
                            break
                    break


def _bound_names(root: Node, data: bytes) -> set[str]:
    """Names bound anywhere inside ``root`` (its parameters included)."""
    names: set[str] = set()

    def text(n: Node) -> str:
        return data[n.start_byte : n.end_byte].decode("utf-8", "replace")

    stack = [root]
    while stack:
        node = stack.pop()
        t = node.type
        if t in ("parameters", "lambda_parameters"):
            names.update(text(i) for i in _parameter_identifiers(node))
        elif t in ("assignment", "augmented_assignment"):
            left = node.child_by_field_name("left")
            if left is not None:
                names.update(text(i) for i in _target_identifiers(left))
        elif t in ("for_statement", "for_in_clause"):
            left = node.child_by_field_name("left")
            if left is not None:
                names.update(text(i) for i in _target_identifiers(left))
        elif t == "named_expression":
            name = node.child_by_field_name("name")
            if name is not None:
                names.add(text(name))
        elif t == "as_pattern":
            alias = node.child_by_field_name("alias")
            if alias is not None:
                names.update(text(i) for i in _target_identifiers(alias))
        elif t in ("except_clause",):
            # ``except E as name`` — the alias is the last identifier after ``as``.
            seen_as = False
            for child in node.children:
                if child.type == "as":
                    seen_as = True
                elif seen_as and child.type == "identifier":
                    names.add(text(child))
                    break
        elif t in (_FUNCTION, _CLASS) and node is not root:
            name = node.child_by_field_name("name")
            if name is not None:
                names.add(text(name))
        elif t in ("import_statement", "import_from_statement"):
            for child in node.named_children:
                if child.type == "aliased_import":
                    alias = child.child_by_field_name("alias")
                    if alias is not None:
                        names.add(text(alias))
                elif child.type == "dotted_name" and child is not node.child_by_field_name(
                    "module_name"
                ):
                    first = child.named_children[0] if child.named_children else child
                    names.add(text(first))
        stack.extend(node.children)
    return names


# -- tokenization ----------------------------------------------------------------------------


def _trailing_comma(node: Node) -> bool:
    """A comma before a closing bracket, except the one that makes ``(a,)`` a tuple."""
    nxt = node.next_sibling
    if nxt is not None and nxt.type not in (")", "]", "}"):
        return False
    parent = node.parent
    return not (parent is not None and parent.type == "tuple" and parent.named_child_count == 1)


def _is_docstring(node: Node, parent: Node | None = None) -> bool:
    if node.type != "expression_statement" or node.named_child_count != 1:
        return False
    if node.named_children[0].type not in _STRINGS:
        return False
    if parent is None:
        parent = node.parent
    if parent is None:
        return False
    first = next((c for c in parent.named_children if c.type != "comment"), None)
    return first is not None and first.id == node.id


class _Tokenizer:
    def __init__(self, data: bytes, bound: set[str], own_name: str | None = None):
        self.data = data
        self.bound = bound
        self.own_name = own_name
        self.locals: dict[str, str] = {}
        self.tokens: list[str] = []
        self.offsets: list[int] = []
        self.depths: list[int] = []

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def emit(self, token: str, offset: int, depth: int) -> None:
        self.tokens.append(token)
        self.offsets.append(offset)
        self.depths.append(min(depth, MAX_DEPTH))

    def name_token(self, name: str) -> str:
        if name in ("self", "cls"):
            return name
        if name == self.own_name:
            return "<rec>"  # the unit's own name: a recursive call, or the def itself
        if name in self.bound:
            tok = self.locals.get(name)
            if tok is None:
                tok = f"v{min(len(self.locals), MAX_LOCALS - 1)}"
                self.locals[name] = tok
            return tok
        if name in _BUILTINS:
            return "b:" + name
        return "g:" + name

    def walk(self, root: Node, depth: int) -> None:
        # Iterative, carrying each node's parent: a 1,000-term expression nests 1,000 deep
        # (recursion overflowed), and ``Node.parent`` costs the node's depth.
        todo: list = [(root, depth, root.parent)]
        while todo:
            item = todo.pop()
            if isinstance(item[0], str):  # a closing token queued behind a block's children
                self.emit(*item)
                continue
            node, depth, parent = item
            t = node.type
            if t in _SKIP or _is_docstring(node, parent):
                continue
            if t in _STRINGS:
                head = self.data[node.start_byte : node.start_byte + 3].lower()
                tok = "<fstr>" if b"f" in head.split(b'"')[0].split(b"'")[0] else "<str>"
                self.emit(tok, node.start_byte, depth)
                continue
            if t == "integer":
                self.emit(_SMALL_INTS.get(self.text(node), "<num>"), node.start_byte, depth)
                continue
            if t == "float":
                self.emit("<float>", node.start_byte, depth)
                continue
            if t == "identifier":
                if parent is not None:
                    if parent.type == "attribute" and parent.child_by_field_name("attribute") == node:
                        self.emit("." + self.text(node), node.start_byte, depth)
                        continue
                    if parent.type == "keyword_argument" and parent.child_by_field_name("name") == node:
                        self.emit("kw:" + self.text(node), node.start_byte, depth)
                        continue
                self.emit(self.name_token(self.text(node)), node.start_byte, depth)
                continue
            if t == "block":
                self.emit("<block>", node.start_byte, depth)
                todo.append(("</block>", max(node.end_byte - 1, node.start_byte), depth))
                todo.extend((child, depth, node) for child in reversed(node.children))
                continue
            if node.child_count == 0:
                if t == "." and parent is not None and parent.type == "attribute":
                    continue  # the attribute token itself starts with "."
                if t == ";":
                    continue  # statements on one line read as statements on their own lines
                if t == "," and _trailing_comma(node):
                    continue
                if t.strip():
                    self.emit(t if node.is_named is False else "<" + t + ">", node.start_byte, depth)
                continue
            if t in _GROUPING:
                todo.extend((child, depth, node) for child in reversed(node.children) if child.type not in ("(", ")"))
                continue
            if t == "argument_list" and node.named_child_count == 1 and node.named_children[0].type == "generator_expression":
                todo.append((node.named_children[0], depth, node))  # f((x for x in y)) reads as f(x for x in y)
                continue
            if t == "argument_list" and node.named_child_count == 0 and parent is not None and parent.type == _CLASS:
                continue  # class A(): is class A:
            inner = depth + 1 if t in _LOOPS else depth
            if t in ("for_statement", "while_statement"):
                # The loop header is evaluated once per iteration only for ``while``; the iterable of a
                # ``for`` is evaluated once, so only the body (and condition of while) is one deeper.
                for child in reversed(node.children):
                    deeper = child.type == "block" or (t == "while_statement" and child.type not in ("while", ":"))
                    todo.append((child, inner if deeper else depth, node))
                continue
            todo.extend((child, inner, node) for child in reversed(node.children))


def _tokenize(source: Source, nodes: Sequence[Node], bound_root: Node | None) -> _Tokenizer:
    data = source.data
    bound: set[str] = set()
    own_name = None
    if bound_root is not None:
        bound = _bound_names(bound_root, data)
        name = bound_root.child_by_field_name("name")
        if name is not None:
            own_name = source.node_text(name)
    else:
        for n in nodes:
            bound |= _bound_names(n, data)
    tok = _Tokenizer(data, bound, own_name)
    for n in nodes:
        tok.walk(n, 0)
    return tok


def _finish(source: Source, unit: Unit, tok: _Tokenizer) -> Unit:
    unit.tokens = tok.tokens
    unit.token_lines = [source.line_of_byte(o) + 1 for o in tok.offsets]
    unit.token_depths = tok.depths
    unit.text = source.slice(unit.start_byte, unit.end_byte)
    return unit


def function_units(source: Source, tokens: bool = True) -> list[Unit]:
    """Every function in the file (nested ones and methods included), in source order. With
    ``tokens=False`` each unit has its text and position, and is tokenized on ``ensure_tokens()``:
    the scorer asks only for the units its cache does not hold."""
    # A query finds them in C; walking every node in Python cost more than scoring on each edit.
    captures = QueryCursor(_FUNCTION_QUERY).captures(source.tree.root_node)
    found = sorted(captures.get("function", []), key=lambda n: n.start_byte)
    return [_function_unit(source, fn, tokens) for fn in found]


def function_unit_at(source: Source, start_byte: int) -> Unit | None:
    """The function whose definition (decorators included) starts at ``start_byte``."""
    node = source.tree.root_node.descendant_for_byte_range(start_byte, start_byte)
    while node is not None and node.start_byte == start_byte:
        if node.type == _DECORATED:
            fn = node.child_by_field_name("definition")
            if fn is not None and fn.type == _FUNCTION:
                return _function_unit(source, fn)
        if node.type == _FUNCTION and (node.parent is None or node.parent.type != _DECORATED):
            return _function_unit(source, node)
        node = node.parent
    return None


_FUNCTION_QUERY = Query(PYTHON, f"({_FUNCTION}) @function")


def _function_unit(source: Source, fn: Node, tokens: bool = True) -> Unit:
    outer = fn.parent if fn.parent is not None and fn.parent.type == _DECORATED else fn
    unit = Unit(
        qualname=qualified_name(fn),
        kind="function",
        start_byte=outer.start_byte,
        end_byte=outer.end_byte,
        start_line=source.line_of_byte(outer.start_byte) + 1,
        end_line=source.line_of_byte(max(outer.end_byte - 1, outer.start_byte)) + 1,
    )
    unit.text = source.slice(unit.start_byte, unit.end_byte)
    if tokens:
        _fill_function(source, unit, fn, outer)
    else:
        unit.pending = lambda unit: _fill_function(source, unit, fn, outer)
    return unit


def _fill_function(source: Source, unit: Unit, fn: Node, outer: Node) -> None:
    # No cache of tokens here: the scorer's cache, looked up by the unit's text before it asks for
    # tokens, already spares an edit the functions it did not change.
    _finish(source, unit, _tokenize(source, [outer], fn))


def module_unit(source: Source, min_tokens: int = 12, tokens: bool = True) -> Unit | None:
    """The module-level statements outside functions, classes and imports, as one unit. With
    ``tokens=False``, tokenized on ``ensure_tokens()``: the caller drops it if under ``min_tokens``."""
    root = source.tree.root_node
    statements = [
        c
        for c in root.named_children
        if c.type not in _MODULE_SKIP and not _is_docstring(c)
    ]
    if not statements:
        return None
    unit = Unit(
        qualname="<module>",
        kind="module",
        start_byte=statements[0].start_byte,
        end_byte=statements[-1].end_byte,
        start_line=source.line_of_byte(statements[0].start_byte) + 1,
        end_line=source.line_of_byte(max(statements[-1].end_byte - 1, 0)) + 1,
    )
    if not tokens:
        unit.text = source.slice(unit.start_byte, unit.end_byte)
        unit.pending = lambda unit: _finish(source, unit, _tokenize(source, statements, None))
        return unit
    tok = _tokenize(source, statements, None)
    if len(tok.tokens) < min_tokens:
        return None
    return _finish(source, unit, tok)


def extract_units(source: Source, include_module: bool = True, tokens: bool = True) -> list[Unit]:
    """The file's functions, then its module-level unit (see ``function_units`` for ``tokens``)."""
    units = function_units(source, tokens)
    if include_module:
        mod = module_unit(source, tokens=tokens)
        if mod is not None:
            units.append(mod)
    return units


# -- vocabulary and encoding -----------------------------------------------------------------


class Vocab:
    """A fixed token -> id table, saved as JSON beside the model."""

    def __init__(self, tokens: Sequence[str], categories: Sequence[str] = CATEGORIES, aggregate: dict | None = None):
        ordered = list(SPECIAL_TOKENS) + [t for t in tokens if t not in SPECIAL_TOKENS]
        self.itos = ordered
        self.stoi = {t: i for i, t in enumerate(ordered)}
        self.categories = tuple(categories)  # the names of the model's category outputs, in order
        self.aggregate = aggregate  # the learned file-level aggregate of unit scores, if any

    def __len__(self) -> int:
        return len(self.itos)

    def id(self, token: str) -> int:
        i = self.stoi.get(token)
        if i is not None:
            return i
        if token.startswith("."):
            return self.stoi[ATTR]
        if token.startswith(("g:", "b:", "v")):
            return self.stoi[NAME]
        if token.startswith("kw:"):
            return self.stoi[KW]
        return self.stoi[UNK]

    @classmethod
    def build(cls, token_lists: Iterable[Sequence[str]], min_count: int = 5, max_size: int = 6000) -> "Vocab":
        counts: dict[str, int] = {}
        for tokens in token_lists:
            for t in tokens:
                counts[t] = counts.get(t, 0) + 1
        kept = [t for t, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if c >= min_count]
        return cls(kept[: max_size - len(SPECIAL_TOKENS)])

    def to_json(self) -> dict:
        return {
            "format": "hasten-vocab/1",
            "max_len": MAX_LEN,
            "max_depth": MAX_DEPTH,
            "categories": list(self.categories),
            "tokens": self.itos,
        }

    def save(self, path) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, indent=0)

    @classmethod
    def load(cls, path) -> "Vocab":
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if data.get("format") != "hasten-vocab/1":
            raise ValueError(f"{path}: not a hasten vocabulary (format {data.get('format')!r})")
        return cls(data["tokens"], data.get("categories", CATEGORIES), data.get("aggregate"))


@dataclass
class Window:
    """One model input: token ids with <cls> first, and where each position came from."""

    ids: list[int]
    depths: list[int]
    lines: list[int]  # 1-based source line per position; 0 for <cls>
    token_start: int  # index of the first unit token in this window


def windows(unit: Unit, vocab: Vocab, max_len: int = MAX_LEN, stride: int = WINDOW_STRIDE) -> list[Window]:
    """Split a unit into model inputs; short units give one window."""
    body = max_len - 1
    n = len(unit.tokens)
    starts = [0]
    if n > body:
        starts = list(range(0, n - body, stride)) + [n - body]
    out = []
    cls_id = vocab.stoi[CLS]
    for s in starts:
        e = min(n, s + body)
        ids = [cls_id] + [vocab.id(t) for t in unit.tokens[s:e]]
        depths = [0] + unit.token_depths[s:e]
        lines = [0] + unit.token_lines[s:e]
        out.append(Window(ids, depths, lines, s))
    return out


def window_covering(unit: Unit, vocab: Vocab, token_index: int, max_len: int = MAX_LEN) -> Window:
    """The window that puts ``token_index`` well inside it (used for training on long units)."""
    body = max_len - 1
    n = len(unit.tokens)
    s = 0 if n <= body else max(0, min(token_index - body // 3, n - body))
    e = min(n, s + body)
    cls_id = vocab.stoi[CLS]
    return Window(
        [cls_id] + [vocab.id(t) for t in unit.tokens[s:e]],
        [0] + unit.token_depths[s:e],
        [0] + unit.token_lines[s:e],
        s,
    )


def batch_arrays(batch: Sequence[Window]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pad windows to the longest; returns (input_ids, depth_ids, attention_mask) as int64."""
    width = max(len(w.ids) for w in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    depths = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros((len(batch), width), dtype=np.int64)
    for i, w in enumerate(batch):
        n = len(w.ids)
        ids[i, :n] = w.ids
        depths[i, :n] = w.depths
        mask[i, :n] = 1
    return ids, depths, mask
