"""What a definition read outside itself while the editor's incremental checker checked it.

The fact queries (``analyzers/syntax/facts.py``, ``sizes.py``, ``imports.py``, ``scope.py``)
note each answer drawn from elsewhere in the file through ``syntax.scope.noted``/``note_read``;
``Reads`` collects them per definition, and ``reads_hold`` asks, in a later revision, whether
each still has the value it had, so a cached definition is reused only when nothing it read
changed."""

from __future__ import annotations

from hasten.analyzers import rewrite as _rewrite
from hasten.analyzers.syntax import facts as _facts
from hasten.analyzers.syntax import imports as _imports
from hasten.analyzers.syntax import scope as _scope
from hasten.analyzers.syntax import sizes as _sizes


def _fact_summary(fact) -> tuple | None:
    if fact is None:
        return None
    return (fact.kind, fact.source, fact.proven, fact.small, tuple((v.type, v.text) for v in fact.values))


def _class_ref(unit, cls) -> tuple | None:
    """Where ``cls`` is relative to ``unit``, in a form that finds it again in a later revision
    in which ``unit``'s text is the same: the k-th enclosing class, or a class inside ``unit``."""
    if cls.start_byte <= unit.start_byte and unit.end_byte <= cls.end_byte:
        k, node = 0, unit
        while node is not None:
            if node.type == "class_definition":
                k += 1
                if node == cls:
                    return ("up", k)
            node = node.parent
        return None
    if unit.start_byte <= cls.start_byte and cls.end_byte <= unit.end_byte:
        return ("in", cls.start_byte - unit.start_byte, cls.end_byte - unit.start_byte)
    return None


def _resolve_class(unit, ref: tuple):
    if ref[0] == "up":
        k, node = 0, unit
        while node is not None:
            if node.type == "class_definition":
                k += 1
                if k == ref[1]:
                    return node
            node = node.parent
        return None
    start, end = unit.start_byte + ref[1], unit.start_byte + ref[2]
    node = unit.descendant_for_byte_range(start, end)
    while node is not None and node.start_byte >= start and node.end_byte <= end:
        if node.type == "class_definition" and node.start_byte == start and node.end_byte == end:
            return node
        node = node.parent
    return None


class Reads:
    """The sink for ``scope.noting_reads`` while one definition is checked: the facts read from
    outside it (``bound``: a name bound anywhere in the file; ``attribute``: a class's
    ``self.x`` facts, from all its methods and subclasses; ``method-return`` and
    ``function-return``: what a sibling method or a module-level function returns;
    ``from-imports`` and ``module-aliases``: imports anywhere; ``mentions``: whether the file's
    text contains a word; ``size-*``: the size facts' answers drawn from module-level bindings, a
    private helper's call sites, a class's other methods or same-file functions' returns), each
    with its value."""

    def __init__(self, unit) -> None:
        self.unit = unit
        self.items: dict[tuple, None] = {}
        self.cacheable = True

    def __call__(self, item: tuple) -> None:
        kind = item[0]
        if kind in ("size-attribute", "size-method-return"):  # (kind, cls, ..., evidence)
            ref = _class_ref(self.unit, item[1])
            if ref is None:
                self.cacheable = False
                return
            item = (kind, ref, *item[2:])
        elif kind in ("size-module-name", "size-call-sites", "size-function-return"):
            item = (kind, *item[2:])  # (kind, root, ..., evidence): the root is the file's
        elif kind in ("attribute", "method-return"):
            ref = _class_ref(self.unit, item[1])
            if ref is None:
                self.cacheable = False
                return
            item = (kind, ref, *item[2:-1], _fact_summary(item[-1]))
        elif kind == "function-return":  # (kind, root, name, depth, fact): the root is the file's
            item = (kind, item[2], item[3], _fact_summary(item[-1]))
        self.items[item] = None


def read_now(item: tuple, unit, root) -> object:
    """The value of a noted read in the current revision (``unit`` is the definition there)."""
    kind = item[0]
    if kind == "bound":
        return item[1] in _scope._names_bound_in_file(root)
    if kind in ("attribute", "method-return"):
        cls = _resolve_class(unit, item[1])
        if cls is None:
            return _MISSING
        if kind == "attribute":
            return _fact_summary(_facts.class_attribute_fact(cls, item[2]))
        return _fact_summary(_facts.method_return_fact(cls, item[2], item[3]))
    if kind == "function-return":
        return _fact_summary(_facts.module_function_return_fact(root, item[1], item[2]))
    if kind in ("size-attribute", "size-method-return"):
        cls = _resolve_class(unit, item[1])
        if cls is None:
            return _MISSING
        ask = _sizes.class_attribute_evidence if kind == "size-attribute" else _sizes.method_returns_evidence
        return ask(cls, *item[2:-1])
    if kind == "size-module-name":
        return _sizes.module_name_evidence(root, *item[1:-1])
    if kind == "size-call-sites":
        return _sizes.call_site_evidence(root, *item[1:-1])
    if kind == "size-function-return":
        return _sizes.function_returns_evidence(root, *item[1:-1])
    if kind == "from-imports":
        return tuple(sorted(_imports.from_imports(root, item[1]).items()))
    if kind == "module-aliases":
        return frozenset(_imports.module_aliases(root, item[1]))
    if kind == "mentions":
        return item[1] in root.text
    return _MISSING


_MISSING = object()


# Memoized queries keyed by tree nodes: each entry keeps its node's whole tree alive, so an editor
# session that keeps them across revisions holds dozens of old trees of the file being edited.
_TREE_CACHES = (
    _facts.binding_table, _facts.class_methods, _facts.function_returns, _facts.class_attribute_facts,
    _facts._own_attributes, _scope._names_bound_in_file, _imports._from_imports_of,
    _imports._module_aliases_of, _rewrite._module_names, _sizes._evidence_table,
    _sizes._calls_of, _sizes._grown_names, _sizes._attribute_steps,
)


def release_tree_caches() -> None:
    """Forget the queries memoized on the nodes of earlier trees (the next revision has new nodes)."""
    for cached in _TREE_CACHES:
        cached.cache_clear()


def reads_hold(reads: tuple[tuple, ...], unit, memo: dict[tuple, bool]) -> bool:
    """Whether every fact ``unit`` read outside itself when it was checked still has the
    value it had then."""
    root = unit
    while root.parent is not None:
        root = root.parent
    for item in reads:
        key = item
        if item[0] in ("attribute", "method-return", "size-attribute", "size-method-return"):
            cls = _resolve_class(unit, item[1])
            if cls is None:
                return False
            key = (item[0], cls.start_byte, cls.end_byte, *item[2:])
        held = memo.get(key)
        if held is None:
            held = memo[key] = read_now(item, unit, root) == item[-1]
        if not held:
            return False
    return True
