"""How the metrics of a function are shown: the code lens title, the hover (Markdown), the message
a clicked lens shows, and the justification lines of ``hasten metrics --explain``.

The numbers come from ``hasten.analyzers.metrics``; this module only formats them, and depends on
nothing else of the server.
"""

from __future__ import annotations

from hasten.analyzers.metrics import FileMetrics, FunctionMetrics, mi_rank


def lens_title(fn: FunctionMetrics) -> str:
    """``complexity 14 (C) · O(n²)``: the code lens above a function."""
    growth = fn.growth.label() if fn.growth.known else "growth unknown"
    return f"complexity {fn.complexity} ({fn.rank}) · {growth}"


def growth_message(fn: FunctionMetrics) -> str:
    """The message a clicked lens shows: the figures and the lines that justify the estimate."""
    return f"{fn.qualname}: complexity {fn.complexity} ({fn.rank}) · {fn.growth.explanation()}"


def explanation_lines(fn: FunctionMetrics) -> list[str]:
    """The lines that justify the growth estimate, without the heading (``--explain``)."""
    return [line.strip() for line in fn.growth.explanation().splitlines()[1:]]


def hover_markdown(fn: FunctionMetrics, file: FileMetrics | None = None) -> str:
    """The full metrics of one function as Markdown (the hover on its name)."""
    lines = [f"**{fn.qualname}** — complexity {fn.complexity} ({fn.rank}) · {fn.growth.label()}", ""]
    lines.append("| metric | value |")
    lines.append("|---|---|")
    lines.append(f"| cyclomatic complexity | {fn.complexity} (rank {fn.rank}{', from tree-sitter' if fn.complexity_source != 'radon' else ''}) |")
    if fn.halstead is not None:
        lines.append(f"| Halstead volume | {fn.halstead.volume:.1f} |")
        lines.append(f"| Halstead difficulty | {fn.halstead.difficulty:.1f} |")
    lines.append(f"| lines (total / source{' / logical' if fn.loc.lloc is not None else ''}) | {fn.loc.loc} / {fn.loc.sloc}{f' / {fn.loc.lloc}' if fn.loc.lloc is not None else ''} |")
    if fn.maintainability is not None:
        lines.append(f"| maintainability index | {fn.maintainability:.1f} ({mi_rank(fn.maintainability)}) |")
    if file is not None and file.maintainability is not None:
        lines.append(f"| module maintainability index | {file.maintainability:.1f} ({file.maintainability_rank}) |")
    lines.append(f"| growth estimate | {fn.growth.label()} |")
    lines.append("")
    lines.append("```text")
    lines.append(fn.growth.explanation())
    lines.append("```")
    if file is not None and file.notes:
        lines.append("")
        lines.extend(f"_{note}_" for note in file.notes)
    return "\n".join(lines)
