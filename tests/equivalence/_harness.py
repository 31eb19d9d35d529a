'''Equivalence property tests: a safe fix must not change what a program does.

How to add one for your rule (``tests/equivalence/test_hsNNN.py``):

1. Write a hypothesis strategy that builds *program instances* of the pattern your rule flags:
   a function (or module-level snippet) in which names, loop bodies, nesting and neighbouring
   statements vary. Use :func:`identifiers` / :func:`distinct_identifiers` for names and
   :func:`indent` to nest a snippet inside ``if``/``for``/``with`` blocks.
2. In the test, call :func:`fixed_program` ``(source, "HSNNN")``: it runs the rule's *safe* fixes
   only (``fix_text(..., unsafe=False)``, with just your rule selected, preview included) and
   fails unless the fix fired.
3. Run both programs with :func:`assert_equivalent` on hypothesis-generated inputs. It executes
   each program in a fresh namespace, calls the entry function on deep copies of the same
   arguments, and compares the return value (type and value; generators and coroutines are
   drained), the exception type if one is raised, everything printed to stdout, and the
   arguments afterwards (so in-place mutation is observed). For module-level code use
   :func:`assert_module_equivalent`, which compares chosen global names instead.

Keep ``settings(max_examples=...)`` modest (50–150): the whole suite should stay under a minute.
A rule whose fix cannot pass this with zero mismatches must declare the fix unsafe instead.

Import the helpers relatively (``from ._harness import ...``): ``tests/equivalence`` is a
package, ``tests`` is not. Example::

    @st.composite
    def programs(draw):
        acc, item = draw(distinct_identifiers(2))
        return f"def run(xs):\\n    {acc} = ''\\n    for {item} in xs:\\n        {acc} += {item}\\n    return {acc}\\n"

    @given(programs(), st.lists(st.text(max_size=3), max_size=6))
    @settings(max_examples=80, deadline=None)
    def test_hs103(program, xs):
        fixed = fixed_program(program, "HS103")
        assert_equivalent(program, fixed, "run", (xs,))
'''

from __future__ import annotations

import asyncio
import builtins
import contextlib
import copy
import inspect
import io
import keyword
import math
import textwrap
from dataclasses import dataclass, field
from typing import Any, Sequence

from hypothesis import strategies as st

from hasten.analyzers.config import Config
from hasten.analyzers.fixes import fix_text

# Names a generated program must not use: keywords, builtins, and names the harness or the
# rewrites themselves introduce.
RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins)) | {
    "collections", "itertools", "functools", "operator", "re", "deque", "chain", "self", "cls", "f", "g",
    # names the equivalence tests' templates use for their own variables
    "v", "k", "xs", "ys", "src", "pairs", "flag", "offset", "run", "count", "item", "items", "numbers",
    "twice", "lambda_free", "_round",
}


def identifiers(min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[str]:
    """Valid, lower-case Python identifiers that shadow no keyword or builtin."""
    first = st.sampled_from("abcdefghijklmnopqrstuvwxyz_")
    rest = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=min_size - 1, max_size=max_size - 1)
    return st.builds(lambda a, b: a + b, first, rest).filter(lambda s: s not in RESERVED and not s.startswith("__"))


def distinct_identifiers(n: int, **kwargs: Any) -> st.SearchStrategy[list[str]]:
    return st.lists(identifiers(**kwargs), min_size=n, max_size=n, unique=True)


def indent(code: str, levels: int = 1, unit: str = "    ") -> str:
    return textwrap.indent(code, unit * levels)


def fixed_program(source: str, code: str, *, unsafe: bool = False, require_fix: bool = True) -> str:
    """``source`` after applying rule ``code``'s fixes (safe only unless ``unsafe``).

    Fails when the rule did not fire with an applicable fix, so a test cannot pass vacuously.
    """
    config = Config(select=(code,), preview=True)
    result = fix_text(source, config, unsafe=unsafe, only={code})
    assert result.converged, f"{code}: fixing did not converge:\n{source}"
    if require_fix:
        assert any(f.code == code for f in result.applied), (
            f"{code}: no {'' if unsafe else 'safe '}fix applied to the generated program:\n{source}"
        )
    compile(result.text, "<fixed>", "exec")
    return result.text


@dataclass
class Outcome:
    value: Any = None
    exception: str | None = None
    stdout: str = ""
    arguments: Any = None
    names: dict = field(default_factory=dict)


def _drain(value: Any) -> Any:
    """Generators, async generators and coroutines are run to completion, so lazy behaviour
    (including exceptions raised late) is observed."""
    if inspect.isgenerator(value):
        return ("<generator>", list(value))
    if inspect.iscoroutine(value):
        return ("<coroutine>", asyncio.run(value))
    if inspect.isasyncgen(value):
        async def collect():
            return [item async for item in value]

        return ("<async generator>", asyncio.run(collect()))
    return value


def _exec(source: str, namespace: dict) -> None:
    exec(compile(source, "<program>", "exec"), namespace)


def run_function(source: str, func: str, args: Sequence[Any] = (), kwargs: dict | None = None) -> Outcome:
    """Exec ``source`` in a fresh namespace and call ``func`` on deep copies of the arguments."""
    args = copy.deepcopy(tuple(args))
    kwargs = copy.deepcopy(kwargs or {})
    namespace: dict = {"__name__": "__hasten_equivalence__"}
    outcome = Outcome()
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        try:
            _exec(source, namespace)
            outcome.value = _drain(namespace[func](*args, **kwargs))
        except Exception as exc:  # the exception's type is part of the behaviour
            outcome.exception = type(exc).__name__
    outcome.stdout = buffer.getvalue()
    outcome.arguments = (args, kwargs)
    return outcome


def run_module(source: str, inputs: dict | None = None, observe: Sequence[str] = ()) -> Outcome:
    """Exec ``source`` as a module whose globals start as deep copies of ``inputs``; record the
    final values of the ``observe`` names (missing names are recorded as missing)."""
    namespace: dict = {"__name__": "__hasten_equivalence__", **copy.deepcopy(inputs or {})}
    outcome = Outcome()
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        try:
            _exec(source, namespace)
        except Exception as exc:
            outcome.exception = type(exc).__name__
    outcome.stdout = buffer.getvalue()
    outcome.names = {name: namespace.get(name, "<missing>") for name in observe}
    return outcome


def same_value(a: Any, b: Any) -> bool:
    """Equal values of the same type, recursively; NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a.keys()) == list(b.keys()) and all(same_value(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except Exception:
        return repr(a) == repr(b)


def assert_same_outcome(original: Outcome, fixed: Outcome, context: str = "") -> None:
    where = f"\n{context}" if context else ""
    assert original.exception == fixed.exception, f"exception differs: {original.exception} vs {fixed.exception}{where}"
    assert same_value(original.value, fixed.value), f"result differs: {original.value!r} vs {fixed.value!r}{where}"
    assert original.stdout == fixed.stdout, f"printed output differs: {original.stdout!r} vs {fixed.stdout!r}{where}"
    assert same_value(original.arguments, fixed.arguments), (
        f"arguments after the call differ: {original.arguments!r} vs {fixed.arguments!r}{where}"
    )
    assert same_value(original.names, fixed.names), f"globals differ: {original.names!r} vs {fixed.names!r}{where}"


def _describe(original: str, fixed: str, inputs: Any) -> str:
    return f"--- original ---\n{original}\n--- fixed ---\n{fixed}\n--- inputs ---\n{inputs!r}"


def assert_equivalent(original: str, fixed: str, func: str, args: Sequence[Any] = (), kwargs: dict | None = None) -> None:
    """Run ``func`` from both programs on the same inputs and compare every observable."""
    a = run_function(original, func, args, kwargs)
    b = run_function(fixed, func, args, kwargs)
    assert_same_outcome(a, b, _describe(original, fixed, (args, kwargs)))


def assert_module_equivalent(original: str, fixed: str, inputs: dict | None = None, observe: Sequence[str] = ()) -> None:
    a = run_module(original, inputs, observe)
    b = run_module(fixed, inputs, observe)
    assert_same_outcome(a, b, _describe(original, fixed, inputs))
