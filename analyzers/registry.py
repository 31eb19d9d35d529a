"""The one table of rule codes. Every module in ``analyzers/rules`` defines one rule class.

Code scheme: ``HS`` plus three digits, the first digit naming the family:

* HS1xx algorithmic complexity (quadratic scans, queues on lists, repeated copies)
* HS2xx repeated work in loops (invariant computations, regex compiles, lookups)
* HS3xx idioms with measured speedups (comprehensions, dict iteration, builtins)
* HS4xx data libraries (numpy, pandas)
* HS5xx complexity metrics (thresholds on cyclomatic complexity and growth)
* HS9xx model findings
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Iterable

from hasten.analyzers.rule import RULES_DOC_URL, Rule, Status, rule_url  # noqa: F401  (rule_url: re-exported)

FAMILY_BY_DIGIT = {"1": "complexity", "2": "loops", "3": "idioms", "4": "data", "5": "metrics", "9": "model"}



@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every registered rule class, sorted by code."""
    from hasten.analyzers import rules as rules_pkg

    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(rules_pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{rules_pkg.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__:
                if value.code in found:
                    raise RuntimeError(f"duplicate rule code {value.code} in {module.__name__}")
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


@lru_cache(maxsize=1)
def rules_by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in all_rules()}


def get_rule(code_or_name: str) -> type[Rule] | None:
    """A rule by its code, its name or one of its aliases."""
    key = code_or_name.strip()
    table = rules_by_code()
    if key.upper() in table:
        return table[key.upper()]
    for rule in all_rules():
        if rule.name == key or key.upper() in (a.upper() for a in rule.aliases):
            return rule
    return None


def _matches(rule: type[Rule], selector: str) -> bool:
    """A code prefix (``HS1``), an alias prefix (``PERF``, ``C4``, ``W82``: every rule aliased
    under it) or ``ALL``."""
    selector = selector.upper()
    if selector == "ALL":
        return True
    if rule.code.startswith(selector):
        return True
    return any(a.upper().startswith(selector) for a in rule.aliases)


def known_selector(selector: str) -> bool:
    """Whether ``selector`` selects at least one rule (by code, alias, either's prefix, or ALL)."""
    return any(_matches(rule, selector) for rule in all_rules())


def _explicit(rule: type[Rule], selector: str) -> bool:
    selector = selector.upper()
    return rule.code == selector or selector in (a.upper() for a in rule.aliases)


def select_rules(
    select: Iterable[str] | None,
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    preview: bool = False,
) -> tuple[type[Rule], ...]:
    """Apply ruff-like selection: prefixes select families; preview rules need ``preview`` or
    their exact code; rules that are off by default (metrics thresholds) need explicit selection."""
    select = list(select) if select is not None else None
    extend = list(extend_select)
    ignore = [i.upper() for i in ignore]
    chosen = []
    for rule in all_rules():
        if any(_matches(rule, i) for i in ignore):
            continue
        selectors = (select if select is not None else []) + extend
        explicitly = any(_explicit(rule, s) for s in selectors)
        by_prefix = any(_matches(rule, s) for s in selectors)
        default_on = getattr(rule, "default_enabled", True)
        if select is None and not explicitly and not by_prefix:
            # The default set: every stable rule that is on by default.
            if rule.status is Status.STABLE and default_on:
                chosen.append(rule)
            elif preview and default_on:
                chosen.append(rule)
            continue
        if explicitly:
            chosen.append(rule)
        elif by_prefix and default_on and (rule.status is Status.STABLE or preview):
            chosen.append(rule)
    return tuple(chosen)
