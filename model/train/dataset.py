"""Build the training data: real functions, injected inefficiencies, and rule-engine labels.

Corpus: the CPython standard library of the running interpreter plus any extra directories of
installed pure-Python packages (``--packages-dir``). Files are split by a hash of their path, so a
held-out file never contributes a single function to training.

Each sample is one unit (see ``hasten.model.features``) with:

* ``label``: 1 for an injected inefficiency or a rule finding, 0 for an untouched function
  with no rule finding, -1 for unlabeled functions (used only for distillation);
* ``category``: index into ``CATEGORIES`` (or -1);
* ``tags``: per-token 0/1, 1 on the lines the mutation or the rule touched.

The benchmark pairs under ../shared/benchmarks are never read here.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from hasten.analyzers.finding import Finding
from hasten.analyzers.source import Source
from hasten.model.features import CATEGORIES, Unit, function_unit_at, function_units
from hasten.model.train.mutations import OPERATORS, apply_edits, mutate

log = logging.getLogger("hasten.model.train")

MIN_TOKENS = 16
MAX_TOKENS = 3000
SKIP_DIRS = {"site-packages", "__pycache__", "lib2to3", "idlelib", "tkinter", "turtledemo", "ensurepip"}


@dataclass
class Sample:
    tokens: list[str]
    depths: list[int]
    lines: list[int]
    label: int
    category: int
    tags: list[int]
    origin: str  # "negative", "mutation:<op>", "rule:<code>", "unlabeled"
    file: str
    qualname: str


def stdlib_dir() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def corpus_files(roots: Iterable[Path], include_tests: bool = True) -> list[tuple[str, Path]]:
    """(corpus-relative name, path) of every .py file under the roots, sorted for determinism."""
    out = []
    for root in roots:
        root = Path(root)
        if not root.exists():
            log.warning("corpus directory %s does not exist; skipping it", root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(
                d for d in dirnames if d not in SKIP_DIRS and not d.endswith((".dist-info", ".egg-info"))
                and (include_tests or d not in ("test", "tests"))
            )
            for f in sorted(filenames):
                if f.endswith(".py"):
                    p = Path(dirpath) / f
                    out.append((f"{root.name}/{p.relative_to(root).as_posix()}", p))
    return out


def split_of(name: str, heldout_percent: int = 10, unlabeled_percent: int = 20) -> str:
    """'heldout', 'unlabeled' or 'train', fixed by the file's corpus-relative name."""
    h = int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) % 100
    if h < heldout_percent:
        return "heldout"
    if h < heldout_percent + unlabeled_percent:
        return "unlabeled"
    return "train"


class RuleTeacher:
    """The rule engine as a weak labeler. ``labeler`` gives a file's rule findings; the caller
    passes it (the training entry point passes the checker), so building a data set needs no
    analysis code beyond the registry's rule families."""

    def __init__(self, labeler: Callable[[Source], Iterable[Finding]]):
        from hasten.analyzers.registry import rules_by_code

        self._labeler = labeler
        self._families = {code: rule.family for code, rule in rules_by_code().items()}

    def findings(self, source: Source) -> list[tuple[int, int, str, str]]:
        """(start_line, end_line, family, code) of each rule finding (1-based lines)."""
        try:
            found = list(self._labeler(source))
        except Exception as exc:
            log.debug("the rule labeler failed on %s: %s", source.path, exc)
            return []
        out = []
        for f in found:
            fam = self._families.get(f.code)
            if fam not in CATEGORIES:
                continue
            a = source.line_of_byte(f.start) + 1
            b = source.line_of_byte(max(f.end - 1, f.start)) + 1
            out.append((a, b, fam, f.code))
        return out


def _sample(unit: Unit, label: int, category: int, tag_lines: set[int], origin: str, file: str) -> Sample:
    return Sample(
        tokens=unit.tokens,
        depths=unit.token_depths,
        lines=unit.token_lines,
        label=label,
        category=category,
        tags=[1 if ln in tag_lines else 0 for ln in unit.token_lines],
        origin=origin,
        file=file,
        qualname=unit.qualname,
    )


def file_samples(
    name: str,
    text: str,
    split: str,
    rng: random.Random,
    teacher: RuleTeacher | None,
    mutants_per_function: int = 3,
    max_functions: int | None = None,
) -> list[Sample]:
    src = Source(text, path=name)
    if src.has_syntax_errors:
        return []
    units = [u for u in function_units(src) if MIN_TOKENS <= len(u.tokens) <= MAX_TOKENS]
    if max_functions is not None and len(units) > max_functions:
        units = rng.sample(units, max_functions)
    if split == "unlabeled":
        return [_sample(u, -1, -1, set(), "unlabeled", name) for u in units]
    rule_hits = teacher.findings(src) if teacher is not None else []
    fn_nodes = {}
    stack = [src.tree.root_node]
    while stack:
        n = stack.pop()
        if n.type == "function_definition":
            outer = n.parent if n.parent is not None and n.parent.type == "decorated_definition" else n
            fn_nodes[outer.start_byte] = n
        stack.extend(n.children)
    out: list[Sample] = []
    for unit in units:
        hits = [h for h in rule_hits if unit.start_line <= h[0] and h[1] <= unit.end_line]
        if hits:
            lines = {ln for a, b, _, _ in hits for ln in range(a, b + 1)}
            fam = hits[0][2]
            out.append(_sample(unit, 1, CATEGORIES.index(fam), lines, "rule:" + hits[0][3], name))
        else:
            out.append(_sample(unit, 0, -1, set(), "negative", name))
        fn = fn_nodes.get(unit.start_byte)
        if fn is None:
            continue
        ops = list(OPERATORS)
        rng.shuffle(ops)
        made = 0
        for op in ops:
            if made >= mutants_per_function:
                break
            m = mutate(src, fn, op, rng)
            if m is None:
                continue
            try:
                new_data, ranges = apply_edits(src.data, list(m.edits))
            except ValueError:
                continue
            if new_data == src.data:
                continue
            new_src = Source(new_data.decode("utf-8", "replace"), path=name)
            if new_src.has_syntax_errors:
                continue
            new_unit = function_unit_at(new_src, unit.start_byte)
            if new_unit is None or new_unit.qualname != unit.qualname:
                continue
            lines = set()
            for s, e in ranges:
                a = new_src.line_of_byte(s) + 1
                b = new_src.line_of_byte(max(e - 1, s)) + 1
                lines.update(range(a, b + 1))
            if not any(ln in lines for ln in new_unit.token_lines):
                # a pure deletion (e.g. a decorator line): point at the def line instead
                lines = {new_unit.token_lines[0]}
            out.append(_sample(new_unit, 1, CATEGORIES.index(m.category), lines, "mutation:" + m.operator, name))
            made += 1
    return out


def build_dataset(
    roots: Iterable[Path],
    seed: int = 0,
    max_files: int | None = None,
    max_functions_per_file: int | None = None,
    negatives_per_positive: float | None = 2.0,
    labeler: Callable[[Source], Iterable[Finding]] | None = None,
    only_splits: tuple[str, ...] | None = None,
) -> dict[str, list[Sample]]:
    rng = random.Random(seed)
    files = corpus_files(roots)
    if max_files is not None and len(files) > max_files:
        files = sorted(random.Random(seed).sample(files, max_files))
    teacher = RuleTeacher(labeler) if labeler is not None else None
    splits: dict[str, list[Sample]] = {"train": [], "heldout": [], "unlabeled": []}
    for i, (name, path) in enumerate(files):
        split = split_of(name)
        if only_splits is not None and split not in only_splits:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        try:
            samples = file_samples(name, text, split, rng, teacher, max_functions=max_functions_per_file)
        except RecursionError:
            continue
        splits[split].extend(samples)
        if (i + 1) % 200 == 0:
            log.info("dataset: %d/%d files, %s", i + 1, len(files), {k: len(v) for k, v in splits.items()})
    if negatives_per_positive is not None:
        # Mutations apply to a minority of functions; keep the classes in a fixed ratio and move
        # the surplus real functions to the unlabeled pool, where they still serve distillation.
        for split in ("train", "heldout"):
            pos = [s for s in splits[split] if s.label == 1]
            neg = [s for s in splits[split] if s.label == 0]
            keep = int(len(pos) * negatives_per_positive)
            rng.shuffle(neg)
            if split == "train":
                for s in neg[keep:]:
                    splits["unlabeled"].append(Sample(s.tokens, s.depths, s.lines, -1, -1, [0] * len(s.tokens), "unlabeled", s.file, s.qualname))
            splits[split] = pos + neg[:keep]
            rng.shuffle(splits[split])
    return splits


def describe(samples: list[Sample]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in samples:
        key = s.origin.split(":")[0] if not s.origin.startswith("mutation") else s.origin
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
