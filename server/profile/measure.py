"""What the profile says about a finding: its measured share of the run, calls and container sizes.

The front ends call ``annotate(profile, source, findings)``: each finding in profiled code gets
``finding.extra["profile"]`` (a JSON dict) and a ``Measure``; ``cost_key`` orders findings by
measured cost and ``is_hot`` keeps those above a share of the run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hasten.analyzers.finding import Finding
from hasten.analyzers.source import Source
from hasten.analyzers.syntax.loops import enclosing_loops
from hasten.analyzers.syntax.tree import enclosing_function
from hasten.server.profile.store import FileProfile, Profile, content_hash

DEFAULT_HOT = 0.01  # a finding is hot when its lines take at least 1% of the profiled run


@dataclass(frozen=True)
class Measure:
    seconds: float  # CPU seconds whose stack passed through the finding's loop (or its lines)
    samples: int
    share: float  # of the run's sampled CPU time
    total_seconds: float
    function: str | None = None
    function_share: float | None = None
    calls: int | None = None  # calls of the enclosing function, where they were counted
    sizes: tuple[tuple[str, str, int], ...] = ()  # (name, type, largest length seen)
    partial: bool = False  # the run failed, timed out or was cut short
    scope: str = "lines"  # "loop": the innermost loop around it; "function": a finding on a def; "lines": its own
    lines: tuple[int, int] = (0, 0)  # the lines measured

    @property
    def cost(self) -> float:
        return self.seconds

    def is_hot(self, threshold: float = DEFAULT_HOT) -> bool:
        return self.share >= threshold

    def summary(self) -> str:
        """'41% of the test run (1.20 s), 3,400 calls, `seen`: list up to 12,000 items'."""
        where = {"loop": "this loop", "function": "this function"}.get(self.scope, "this code")
        parts = [f"{where}: {percent_text(self.share)} of the profiled run ({seconds_text(self.seconds)})"]
        if self.calls is not None and self.function:
            parts.append(f"`{self.function}` called {self.calls:,} time{'s' if self.calls != 1 else ''}")
        for name, kind, largest in self.sizes[:3]:
            parts.append(f"`{name}`: {kind} of up to {largest:,} item{'s' if largest != 1 else ''}")
        text = ", ".join(parts)
        return text + (" (partial profile)" if self.partial else "")

    def to_json(self) -> dict:
        return {
            "seconds": round(self.seconds, 6),
            "samples": self.samples,
            "share": round(self.share, 6),
            "total_seconds": round(self.total_seconds, 6),
            "function": self.function,
            "function_share": None if self.function_share is None else round(self.function_share, 6),
            "calls": self.calls,
            "sizes": [{"name": n, "type": t, "max": m} for n, t, m in self.sizes],
            "partial": self.partial,
            "scope": self.scope,
            "lines": list(self.lines),
            "summary": self.summary(),
        }


def percent_text(share: float) -> str:
    if share >= 0.1:
        return f"{share:.0%}"
    if share >= 0.001:
        return f"{share * 100:.1f}%"
    return "<0.1%" if share > 0 else "0%"


def seconds_text(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def relpath_in(profile: Profile, path: str | os.PathLike | None) -> str | None:
    if not path:
        return None
    try:
        return Path(path).resolve().relative_to(profile.root.resolve()).as_posix()
    except ValueError:
        return None


def file_profile(profile: Profile, source: Source) -> FileProfile | None:
    """The profile of this file, if it was profiled with exactly this content."""
    return entry_for(profile, source.path, source.data)


def entry_for(profile: Profile, path: str | os.PathLike | None, data: bytes) -> FileProfile | None:
    """The profile of the file at ``path`` if it was profiled with exactly ``data`` (no parse)."""
    rel = relpath_in(profile, path)
    entry = profile.file(rel) if rel else None
    if entry is None or entry.sha256 != content_hash(data):
        return None
    return entry


def lines_of(source: Source, finding: Finding) -> tuple[int, int]:
    first = source.byte_to_cli(finding.start)[0]
    last = source.byte_to_cli(max(finding.start, finding.end - 1))[0]
    return first, last


def measured_lines(source: Source, finding: Finding) -> tuple[str, int, int]:
    """What a finding's cost is read from: the whole function for a finding on a function's name,
    else the innermost loop around it, else its own lines.

    A sampler in the process sees the interpreter only where it checks for signals, which in a
    tight loop is the jump back to the loop's head; a single line of a loop body cannot be told
    apart from the rest of the body, but the loop as a whole is measured exactly."""
    node = source.tree.root_node.descendant_for_byte_range(finding.start, finding.start)
    parent = node.parent if node is not None else None
    if parent is not None and parent.type == "function_definition" and parent.child_by_field_name("name") == node:
        # A finding about the whole function (HS501, HS502) is measured by all of it.
        return "function", source.byte_to_cli(parent.start_byte)[0], source.byte_to_cli(max(parent.start_byte, parent.end_byte - 1))[0]
    loops = enclosing_loops(node) if node is not None else []
    if loops:
        loop = loops[0]
        return "loop", source.byte_to_cli(loop.start_byte)[0], source.byte_to_cli(max(loop.start_byte, loop.end_byte - 1))[0]
    first, last = lines_of(source, finding)
    return "lines", first, last


def measure(profile: Profile, source: Source, finding: Finding, entry: FileProfile | None = None) -> Measure | None:
    entry = entry if entry is not None else file_profile(profile, source)
    if entry is None or profile.cpu_seconds <= 0:
        return None
    scope, first, last = measured_lines(source, finding)
    seconds, samples = entry.range_time(first, last)
    names = set(finding_names(source, finding))
    function = _function_entry(source, finding, entry)
    sizes = tuple(sorted(
        ((name, size["type"], int(size["max"])) for name, size in entry.range_sizes(first, last).items() if name in names),
        key=lambda item: -item[2],
    ))
    return Measure(
        seconds=seconds, samples=samples, share=seconds / profile.cpu_seconds, total_seconds=profile.cpu_seconds,
        function=function["qualname"] if function else None,
        function_share=function["inclusive"][0] / profile.cpu_seconds if function else None,
        calls=function.get("calls") if function else None,
        sizes=sizes, partial=profile.partial, scope=scope, lines=(first, last),
    )


def _function_entry(source: Source, finding: Finding, entry: FileProfile) -> dict | None:
    node = source.tree.root_node.descendant_for_byte_range(finding.start, finding.start)
    function = enclosing_function(node) if node is not None else None
    if function is None and node is not None and node.type == "function_definition":
        function = node
    if function is None:
        return None
    outer = function.parent if function.parent is not None and function.parent.type == "decorated_definition" else function
    first = source.byte_to_cli(outer.start_byte)[0]
    def_line = source.byte_to_cli(function.start_byte)[0]
    return entry.function_at(first, def_line)


def finding_names(source: Source, finding: Finding) -> list[str]:
    """Names (and ``name.attribute``) the finding reads: the containers whose sizes are sampled."""
    out: list[str] = []
    root = source.tree.root_node.descendant_for_byte_range(finding.start, max(finding.start, finding.end - 1))
    while root is not None and not (root.start_byte <= finding.start and finding.end <= root.end_byte):
        root = root.parent
    if root is None:
        return out
    stack = [root]
    while stack:
        node = stack.pop()
        if node.end_byte <= finding.start or node.start_byte >= finding.end:
            continue
        name = None
        if node.type == "attribute":
            obj, attr = node.child_by_field_name("object"), node.child_by_field_name("attribute")
            called = node.parent is not None and node.parent.type == "call" and node.parent.child_by_field_name("function") == node
            if obj is not None and obj.type == "identifier" and attr is not None:
                # `items.pop(0)`: the container is `items`; `self.items`: the attribute.
                name = source.node_text(obj) if called else f"{source.node_text(obj)}.{source.node_text(attr)}"
        elif node.type == "identifier" and not (node.parent is not None and node.parent.type == "attribute"):
            name = source.node_text(node)
        if name is not None:
            if name not in out:
                out.append(name)
            if node.type == "attribute":
                continue
        stack.extend(reversed(node.children))
    return out


def annotate(profile: Profile | None, source: Source, findings: list[Finding]) -> list[Measure | None]:
    """Measure each finding; put the measure into ``finding.extra["profile"]`` where there is one."""
    if profile is None:
        return [None] * len(findings)
    entry = file_profile(profile, source)
    out = []
    for finding in findings:
        m = measure(profile, source, finding, entry) if entry is not None else None
        if m is not None:
            finding.extra["profile"] = m.to_json()
        out.append(m)
    return out


def cost_key(finding: Finding) -> tuple:
    """Sort key: measured findings first, costliest first; unmeasured ones keep their order."""
    data = finding.extra.get("profile")
    if not data:
        return (1, 0.0)
    return (0, -float(data["seconds"]))


def is_hot(finding: Finding, threshold: float = DEFAULT_HOT) -> bool:
    data = finding.extra.get("profile")
    return bool(data) and float(data["share"]) >= threshold
