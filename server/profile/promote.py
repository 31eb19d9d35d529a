"""Preview rules reported by default where the stored profile proves them costly.

Most findings of the preview rules (HS101 list membership in a loop, HS102 ``pop(0)``, ...) touch a
handful of items, which is why they are off by default; the syntax cannot tell how large the data
is, but a profile has measured it. With a stored profile, a finding of a preview rule the default
selection leaves out is reported anyway when the measure proves it:

* its loop (or function, or lines) took at least ``DEFAULT_HOT`` (1%) of the profiled run, and
* a container it reads was measured with at least ``MIN_ITEMS`` items (a ``str`` or ``bytes``
  counts only for the rules whose cost is the length of a string, ``TEXT_RULES``).

Rules whose saving is a constant per iteration (``PER_ITERATION``: a regex compiled, an attribute
or a global looked up, a ``try`` entered in a loop) are never promoted: no container size sets
their cost, and the loop's share cannot be told from the flagged line's. HS900 (the model) is
never promoted either.

Front ends call ``promoted_findings``: it looks the file up in the profile first (a path and a
hash), so a file the profile does not cover costs nothing more; a covered one runs the
promotable rules once. It only reads the profile; nothing here runs the project's code.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from hasten.analyzers.checker import check, enabled_rules
from hasten.analyzers.finding import Finding
from hasten.analyzers.rule import Reads, Rule, Status
from hasten.server.profile.measure import DEFAULT_HOT, Measure, file_profile, measure, percent_text

if TYPE_CHECKING:
    from hasten.analyzers.config import Config
    from hasten.analyzers.source import Source
    from hasten.server.profile.store import Profile

MIN_ITEMS = 1_000  # a container this large makes a linear step per iteration worth fixing
TEXT_RULES = frozenset({"HS103"})  # rules whose cost is a string's length
TEXT_TYPES = frozenset({"str", "bytes"})
PER_ITERATION = frozenset({"HS202", "HS204", "HS205", "HS206"})  # never promoted (see above)
PROMOTED = "promoted"  # the key in ``Finding.extra``; its value says by what: ``"profile"``


def promotable_rules(config: "Config", path: str | None) -> tuple[Rule, ...]:
    """The preview rules the selection would add with ``--preview``: none when preview rules are
    on anyway, when ``profile-promote`` is false, or when an explicit selection leaves them out
    (a prefix such as ``HS1`` covers the preview rules under it, as ``--preview`` would)."""
    if config.preview or not config.profile_promote:
        return ()
    enabled = {rule.code for rule in enabled_rules(config, path)}
    return tuple(
        rule for rule in enabled_rules(replace(config, preview=True), path)
        if rule.code not in enabled and rule.status is Status.PREVIEW and rule.code not in PER_ITERATION
        and Reads.SCORER not in rule.reads
    )


def proof(code: str, m: Measure | None) -> tuple[str, str, int] | None:
    """The container (name, type, largest length) that proves a finding of ``code`` costly, if
    its code took at least ``DEFAULT_HOT`` of the run."""
    if m is None or m.share < DEFAULT_HOT:
        return None
    for name, kind, largest in m.sizes:  # largest first
        if largest >= MIN_ITEMS and (kind not in TEXT_TYPES or code in TEXT_RULES):
            return name, kind, largest
    return None


def reason(m: Measure, container: tuple[str, str, int]) -> str:
    """'reported by default: the profile measured `queue`: list of up to 99,866 items, 11% of the run'."""
    name, kind, largest = container
    return (f"reported by default: the profile measured `{name}`: {kind} of up to {largest:,} items, "
            f"{percent_text(m.share)} of the run")


def promoted_findings(
    profile: "Profile | None", source: "Source", config: "Config", earlier: list[Finding] | tuple = (),
    budget: float | None = None,
) -> list[Finding]:
    """The findings of the promotable rules in ``source`` that the profile proves costly (see
    ``promote``). Empty when the profile does not cover this exact content."""
    if profile is None:
        return []
    rules = promotable_rules(config, source.path)
    entry = file_profile(profile, source) if rules else None
    if entry is None:
        return []
    return promote(profile, source, check(source, config, rules=rules, earlier=earlier, budget=budget).findings)


def promote(profile: "Profile", source: "Source", candidates: list[Finding]) -> list[Finding]:
    """Those of ``candidates`` (findings of promotable rules) the profile proves costly, each with
    ``extra["promoted"] = "profile"``, its measure in ``extra["profile"]`` and the reason at the
    end of its message."""
    entry = file_profile(profile, source) if candidates else None
    if entry is None:
        return []
    out = []
    for finding in candidates:
        m = measure(profile, source, finding, entry)
        container = proof(finding.code, m)
        if container is None:
            continue
        finding.extra[PROMOTED] = "profile"
        finding.extra["profile"] = m.to_json()
        finding.message = f"{finding.message} ({reason(m, container)})"
        out.append(finding)
    return out
