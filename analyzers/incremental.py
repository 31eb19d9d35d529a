"""Incremental checking for an editor: re-check only the definitions that changed.

``IncrementalChecker.check`` returns what ``analyzers.checker.check`` returns for the whole file
(a test compares the two over random edits), but it checks each top-level definition (function,
class, decorated definition) on its own with ``check(root=...)`` and caches the findings keyed by

* the definition's text (its full lines, so a trailing ``# noqa`` is part of it),
* the enabled rules and the configuration,
* the module's *skeleton*: the text of the module-level code outside definitions plus the names of
  the top-level definitions — what a rule may legitimately consult outside the function (imports,
  module-level bindings),
* the file's line ending (fixes that insert lines use it).

Findings are stored relative to the definition's first line, so a definition that only moved is
not re-checked. Module-level code outside definitions is always re-checked (a loop at module level
may depend on any function, e.g. one that mutates a global).

Fix names made up by ``rewrite.fresh_name`` depend on which identifiers the *whole* module uses; a
cached entry remembers, for each identifier its fixes introduce (``names_set_2``) and the names
that choice depended on (``names_set``), whether the module used it, and is re-checked when that
changes. A finding whose fix edits text outside its definition (an import added at the top) is
never cached.

Some facts come from elsewhere in the file: whether a name is bound anywhere (a shadowed builtin),
what ``self.x`` holds (every method of the class and its subclasses assign it), what a sibling
method or a module-level function returns, imports anywhere. The functions computing them note
each such read (``syntax.scope.note_read``) while a definition is checked; the cached entry keeps
the reads with their values, and a later revision reuses it only when each read gives the same
value there (computed once per revision). An edit inside one method thus re-checks that method,
plus the definitions that read a fact the edit changed.

The contract for rule authors: a finding inside a top-level definition may depend on that
definition, the skeleton, the noted reads, and the module's identifiers only through
``fresh_name``; its message must not name absolute positions. A new query of the whole file (or
of another definition) must note its reads the same way (``syntax.scope.noted``). A rule that
needs more declares it in ``Rule.reads`` (the module, the other findings, the scorer), or visits
``module`` nodes, and is run on the whole file every time (``Rule.per_definition``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, replace
from typing import Callable

from hasten.analyzers.checker import CheckResult, check, drop_fixes_near_errors, enabled_rules, syntax_error_notes
from hasten.analyzers.config import Config
from hasten.analyzers.finding import Edit, Finding, Fix
from hasten.analyzers.rewrite import names_in
from hasten.analyzers.scoring import Scorer
from hasten.analyzers.reads import Reads, reads_hold, release_tree_caches
from hasten.analyzers.source import Source
from hasten.analyzers.syntax import scope as _scope

log = logging.getLogger(__name__)

CHUNK_TYPES = frozenset({"function_definition", "class_definition", "decorated_definition"})
# Above this many module-level statements, checking each on its own costs more than one walk.
MAX_LOOSE = 256
# A single statement larger than this (a 5 MB literal on one line) is not analysed: tree-sitter's
# query engine, which the checker uses, slows down more than linearly on such wide nodes and holds
# the GIL meanwhile. The result is then partial, with a note.
MAX_NODE_BYTES = 1024 * 1024

_IDENT = re.compile(r"[^\W\d]\w*")
_SUFFIX = re.compile(r"^(.*)_(\d+)$")


# Node types that enclose a method. When no enabled rule visits them, a top-level class is checked
# method by method (each cached on its own) plus its header and class-level statements, so an
# edit in one method of a 3,000-line class re-checks that method only.
STRUCTURAL = frozenset({"module", "class_definition", "decorated_definition", "block", "decorator"})


def _splittable(node) -> bool:
    """A top-level class with a syntax error inside a member: the members without one are
    checked (and cached) on their own, the rest every time, as ``_split_classes`` does."""
    if node.type != "class_definition":
        return False
    body = node.child_by_field_name("body")
    if body is None or body.type != "block" or any(c.has_error for c in node.children if c.id != body.id):
        return False
    return sum(1 for c in body.children if _is_function(c) and not c.has_error) >= 2


def _is_function(node) -> bool:
    if node.type == "function_definition":
        return True
    if node.type == "decorated_definition":
        inner = node.child_by_field_name("definition")
        return inner is not None and inner.type == "function_definition"
    return False


# Statements in which no rule can find anything (every node type inside them is one of these
# shapes): checked at all, they would cost a call each, and a large class has dozens.
_INERT = frozenset({"comment", "pass_statement", "import_statement", "import_from_statement", "future_import_statement"})
_STRING_PARTS = frozenset({"string_start", "string_content", "string_end", "escape_sequence"})


def _inert(node, types: frozenset[str]) -> bool:
    if node.type in types:
        return False
    if node.type in _INERT:
        return not any(t in types for t in ("identifier", "dotted_name", "aliased_import", "import_prefix", "relative_import"))
    if node.type == "expression_statement" and node.named_child_count == 1:
        string = node.named_children[0]
        return (
            string.type == "string"
            and "string" not in types
            and all(c.type in _STRING_PARTS for c in string.children)
        )
    if not node.is_named and node.child_count == 0:
        return True
    return False


def _skeleton_text(data: bytes, node) -> bytes | None:
    """What a statement outside the definitions contributes to their cache key: its text without
    comments (suppressions are per line, and that line is the statement's own, checked every
    time), nothing for a comment line or a lone string (a docstring binds, imports and calls
    nothing; a word a rule looks for in the file's text is a noted read)."""
    if node.type == "comment":
        return None
    if node.type == "expression_statement" and node.named_child_count == 1 and \
            node.named_children[0].type in ("string", "concatenated_string"):
        return None
    text = data[node.start_byte : node.end_byte]
    if b"#" not in text or len(text) > 65536:  # a large statement keeps its comments: walking it costs more
        return text
    pieces, at = [], node.start_byte
    for comment in _comments_in(node):
        start, end = comment.start_byte, comment.end_byte
        line = data.rfind(b"\n", 0, start) + 1
        if line >= at and not data[line:start].strip():  # a comment on a line of its own: drop the line
            start = line
            end = end + 2 if data[end : end + 2] == b"\r\n" else end + 1 if data[end : end + 1] in (b"\n", b"\r") else end
        pieces.append(data[at:start])
        at = max(at, end)
    pieces.append(data[at : node.end_byte])
    return b"".join(pieces)


def _comments_in(node) -> list:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if current.type == "comment":
            found.append(current)
        else:
            stack.extend(current.children)
    return sorted(found, key=lambda c: c.start_byte)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _probe_names(findings: list[Finding]) -> frozenset[str]:
    """Identifiers in fix texts, and the names ``fresh_name`` tried before choosing them."""
    names: set[str] = set()
    for finding in findings:
        if finding.fix is None:
            continue
        for edit in finding.fix.edits:
            for name in _IDENT.findall(edit.content):
                names.add(name)
                match = _SUFFIX.match(name)
                if match and match.group(1):
                    base, n = match.group(1), int(match.group(2))
                    names.add(base)
                    names.update(f"{base}_{i}" for i in range(2, min(n, 64)))
    return frozenset(names)


def _shift_finding(finding: Finding, delta: int) -> Finding:
    fix = finding.fix
    if fix is not None:
        fix = Fix(fix.title, tuple(Edit(e.start + delta, e.end + delta, e.content) for e in fix.edits), fix.applicability)
    return replace(finding, start=finding.start + delta, end=finding.end + delta, fix=fix, extra=dict(finding.extra))


@dataclass
class _Entry:
    findings: list[Finding]  # offsets relative to the chunk's first line
    suppressed: int
    probes: tuple[tuple[str, bool], ...]  # (identifier, used in the module when computed)
    reads: tuple[tuple, ...] = ()  # facts read outside the definition, with their values (see analyzers/reads.py)


class Cancelled(Exception):
    """The document changed (or closed) while it was being analysed."""


class IncrementalChecker:
    """Per-document cache of findings per top-level definition."""

    def __init__(self) -> None:
        self._entries: dict[tuple, _Entry] = {}
        self._names: dict[bytes, frozenset[str]] = {}
        self._configs: dict[tuple, int] = {}
        self.reused = 0  # chunks taken from the cache in the last run (for logs and tests)
        self.checked = 0  # chunks checked in the last run

    def check(
        self,
        source: Source,
        config: Config | None = None,
        *,
        budget: float | None = None,
        cancelled: Callable[[], bool] | None = None,
        scorer: Scorer | None = None,
    ) -> CheckResult:
        try:
            return self._check(source, config, budget=budget, cancelled=cancelled, scorer=scorer)
        finally:
            release_tree_caches()

    def _check(self, source, config, *, budget, cancelled, scorer) -> CheckResult:
        config = config or Config()
        started = time.monotonic()
        deadline = started + budget if budget else None
        rules = enabled_rules(config, source.path)
        incremental = tuple(r for r in rules if r.per_definition())
        whole = tuple(r for r in rules if not r.per_definition())
        result = CheckResult()
        self.reused = self.checked = 0

        def remaining() -> float | None:
            if deadline is None:
                return None
            return max(deadline - time.monotonic(), 0.001)

        root = source.tree.root_node
        children = root.children
        # A class with a syntax error in one member still has its other methods cached one by
        # one (tree-sitter rejects, say, a comment line between a decorator and its `def`).
        split_errors = not any(STRUCTURAL.intersection(r.node_types) for r in incremental)
        chunks = [c for c in children if c.type in CHUNK_TYPES and (not c.has_error or split_errors and _splittable(c))]
        chunk_ids = {c.id for c in chunks}
        loose = [c for c in children if c.id not in chunk_ids]

        findings: list[Finding] = []
        giant = [c for c in children if c.end_byte - c.start_byte > MAX_NODE_BYTES]
        if giant:
            loose = [c for c in loose if c.end_byte - c.start_byte <= MAX_NODE_BYTES]
            chunks = [c for c in chunks if c.end_byte - c.start_byte <= MAX_NODE_BYTES]
            result.complete = False
            for node in giant:
                line, _ = source.byte_to_cli(node.start_byte)
                result.notes.append(
                    f"{source.path or '<unsaved>'}:{line}: a statement of {(node.end_byte - node.start_byte) / 2**20:.1f} MB "
                    "is not analysed (the limit is 1 MB); findings are partial"
                )
        if root.type != "module":
            # The file does not parse as a module at all (its root is an ERROR node): the checker
            # visits nothing inside an ERROR node, so there is nothing to find.
            incremental = whole = ()
        elif incremental and len(loose) > MAX_LOOSE and not giant:
            # Mostly module-level statements: one walk costs less than one check per statement.
            part = check(source, config, rules=incremental, budget=remaining())
            self._absorb(result, part, findings)
            self._entries.clear()
        elif incremental:
            self._check_chunks(source, config, incremental, chunks, loose, result, findings, remaining, deadline, cancelled)
        if giant:  # only rules that visit no nodes (the model's) can run without walking the giant
            whole = tuple(r for r in whole if not r.node_types)
        if whole and (result.complete or giant):
            if cancelled is not None and cancelled():
                raise Cancelled()
            # Rules that read the other findings (the model's HS900) run here, after every rule.
            part = check(source, config, rules=whole, budget=remaining(), scorer=scorer, earlier=findings)
            self._absorb(result, part, findings)

        if root.has_error:
            result.notes.extend(n for n in syntax_error_notes(source) if n not in result.notes)
            drop_fixes_near_errors(source, findings)
        findings.sort(key=Finding.sort_key)
        result.findings = findings
        return result

    @staticmethod
    def _absorb(result: CheckResult, part: CheckResult, findings: list[Finding]) -> None:
        findings.extend(part.findings)
        result.suppressed += part.suppressed
        result.notes.extend(n for n in part.notes if n not in result.notes)
        if not part.complete:
            result.complete = False

    def _check_chunks(self, source, config, rules, chunks, loose, result, findings, remaining, deadline, cancelled) -> None:
        data = source.data
        skeleton = hashlib.blake2b(digest_size=16)
        skeleton.update(source.newline.encode())
        for child in loose:
            part = _skeleton_text(data, child)
            if part is not None:
                skeleton.update(b"\0L")
                skeleton.update(part)
        for chunk in chunks:
            skeleton.update(b"\0C")
            skeleton.update(chunk.type.encode())
            name = chunk.child_by_field_name("name") or chunk.child_by_field_name("definition")
            if name is not None and name.type != "identifier":
                name = name.child_by_field_name("name")
            if name is not None:
                skeleton.update(data[name.start_byte : name.end_byte])
        skeleton_key = skeleton.digest()

        module_names: set[str] | None = None
        new_names: dict[bytes, frozenset[str]] = {}

        def names_of(node) -> frozenset[str]:
            key = _digest(data[node.start_byte : node.end_byte]) + node.type.encode()
            names = self._names.get(key)
            if names is None:
                names = frozenset(names_in(node))
            new_names[key] = names
            return names

        def used_names() -> set[str]:
            nonlocal module_names
            if module_names is None:
                module_names = set()
                for child in children_all:
                    module_names |= names_of(child)
            return module_names

        children_all = list(source.tree.root_node.children)
        new_entries: dict[tuple, _Entry] = {}
        # The rules and configuration in every key as one small number: hashing the tuple of
        # rules and the configuration for each definition's lookup cost more than the lookup.
        if len(self._configs) > 64 and (rules, config) not in self._configs:
            self._configs.clear()
            self._entries.clear()
        rules_key = self._configs.setdefault((rules, config), len(self._configs))
        try:
            self._walk_chunks(source, config, rules, chunks, loose, result, findings, remaining, deadline, cancelled,
                              skeleton_key, used_names, new_entries, rules_key)
        except Cancelled:
            # Keep what was computed: the next revision most likely shares those definitions.
            self._entries.update(new_entries)
            raise
        # Keep only what this revision used, so memory follows the document's size.
        self._entries = new_entries
        if new_names:
            self._names = new_names


    @staticmethod
    def _split_classes(data: bytes, rules, chunks, loose):
        """(units to cache, nodes to check every time): top-level classes become their methods
        (cached with a key of the class's own skeleton) plus header and class-level statements."""
        if any(STRUCTURAL.intersection(r.node_types) for r in rules):
            return [(c, b"") for c in chunks], loose
        units: list[tuple] = []
        extra: list = []
        for chunk in chunks:
            cls = chunk
            if chunk.type == "decorated_definition":
                cls = chunk.child_by_field_name("definition")
            body = cls.child_by_field_name("body") if cls is not None and cls.type == "class_definition" else None
            methods = [c for c in body.children if _is_function(c) and not c.has_error] if body is not None else []
            if len(methods) < 2:
                units.append((chunk, b""))
                continue
            method_ids = {m.id for m in methods}
            others = [c for c in body.children if c.id not in method_ids]
            header = [c for c in chunk.children if c.id != cls.id] if chunk.id != cls.id else []
            header += [c for c in cls.children if c.id != body.id and c.is_named]
            skeleton = hashlib.blake2b(digest_size=16)
            skeleton.update(data[chunk.start_byte : body.start_byte])
            for node in others:
                part = _skeleton_text(data, node)
                if part is not None:
                    skeleton.update(b"\0S")
                    skeleton.update(part)
            for method in methods:
                inner = method.child_by_field_name("definition") if method.type == "decorated_definition" else method
                name = inner.child_by_field_name("name") if inner is not None else None
                skeleton.update(b"\0M")
                if name is not None:
                    skeleton.update(data[name.start_byte : name.end_byte])
            class_key = skeleton.digest()
            units.extend((m, class_key) for m in methods)
            extra.extend(header + others)
        return units, loose + extra

    def _walk_chunks(self, source, config, rules, chunks, loose, result, findings, remaining, deadline, cancelled,
                     skeleton_key, used_names, new_entries, rules_key) -> None:
        data = source.data
        starts = source.line_starts
        stopped = False
        units, loose = self._split_classes(data, rules, chunks, loose)
        read_memo: dict[tuple, bool] = {}  # noted reads already checked in this revision
        types = frozenset(t for r in rules for t in r.node_types)

        for node in loose:
            if cancelled is not None and cancelled():
                raise Cancelled()
            if _inert(node, types):
                continue
            part = check(source, config, rules=rules, budget=remaining(), root=node)
            self._absorb(result, part, findings)
            if not part.complete:
                stopped = True
                break

        for chunk, class_key in units if not stopped else ():
            if cancelled is not None and cancelled():
                raise Cancelled()
            # The budget is checked from the second definition on: however busy the machine, a
            # budgeted check of a huge file gives the findings of its first definition at least.
            if deadline is not None and (self.checked or self.reused) and time.monotonic() > deadline:
                result.complete = False
                result.notes.append(
                    f"{source.path or '<unsaved>'}: analysis stopped after the time budget; findings are partial"
                )
                break
            first = source.line_of_byte(chunk.start_byte)
            last = source.line_of_byte(max(chunk.end_byte - 1, chunk.start_byte))
            span_start = starts[first]
            span_end = source.line_end(last)
            key = (rules_key, skeleton_key, class_key, chunk.type, _digest(data[span_start:span_end]), span_end - span_start)
            entry = self._entries.get(key) or new_entries.get(key)
            if entry is not None and entry.probes:
                names = used_names()
                if any((name in names) != used for name, used in entry.probes):
                    entry = None
            if entry is not None and entry.reads and not reads_hold(entry.reads, chunk, read_memo):
                entry = None
            if entry is not None:
                self.reused += 1
                new_entries[key] = entry
                findings.extend(_shift_finding(f, span_start) for f in entry.findings)
                result.suppressed += entry.suppressed
                continue
            self.checked += 1
            reads = Reads(chunk)
            with _scope.noting_reads(reads):
                part = check(source, config, rules=rules, budget=remaining(), root=chunk)
            self._absorb(result, part, findings)
            if not part.complete:
                break
            if not reads.cacheable:
                continue
            inside = all(
                span_start <= f.start <= f.end <= span_end
                and (f.fix is None or all(span_start <= e.start <= e.end <= span_end for e in f.fix.edits))
                for f in part.findings
            )
            if not inside or part.notes:
                continue  # depends on text outside the definition, or a rule failed: never cached
            probes: tuple[tuple[str, bool], ...] = ()
            wanted = _probe_names(part.findings)
            if wanted:
                names = used_names()
                probes = tuple((name, name in names) for name in sorted(wanted))
            new_entries[key] = _Entry(
                findings=[_shift_finding(f, -span_start) for f in part.findings],
                suppressed=part.suppressed,
                probes=probes,
                reads=tuple(reads.items),
            )
