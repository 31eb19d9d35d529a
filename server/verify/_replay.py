"""Replay recorded calls of one function on its original and rewritten versions; compare; time.

Runs as ``python _replay.py CONFIG_JSON`` inside the copy of the project that holds the original
code, under the project's interpreter. Standalone: imports nothing from hasten but its parts
(``_replay_compare.py``: calls and comparisons; ``_replay_timing.py``; ``_replay_scale.py``: the
scale check) and ``stats.py``, copied beside it as ``hasten_verify_*.py`` (see session.HELPERS).

Config: {"sys_path": [...], "module": dotted name, "new_file": rewritten module file,
"qualname": ..., "calls": pickle path, "out": JSON path, "rounds": 9, "budget": seconds,
"max_inputs": 6, "floor": 0.05, "scale": [10, 100], "scale_budget": seconds,
"scale_deadline": seconds per call}.

Writes {"calls": [per-call comparison], "edge_cases": [...], "timing": {...} | null,
"scale": [...], "loaded": how the rewrite was loaded, "error": str | null}.

The rewrite is not imported as a module: the original module is imported once, and only the
top-level statements the rewrite changed or added (the rewritten function, an import it needs, a
helper it defines) are executed, in a copy of the original module's namespace. Code that runs at
import time — registries, dispatch tables, plugin hooks — runs once, as in the real program.
"""

import ast
import copy
import importlib
import importlib.util
import json
import math
import pickle
import sys
import types

try:  # in a verification run: the copies beside this file (see session.HELPERS)
    from hasten_verify_replay_compare import caches_of, compare, edge_cases
    from hasten_verify_replay_scale import scale_check
    from hasten_verify_replay_timing import timing
except ImportError:  # in hasten's own source tree
    from hasten.server.verify._replay_compare import caches_of, compare, edge_cases
    from hasten.server.verify._replay_scale import scale_check
    from hasten.server.verify._replay_timing import timing


# -- loading the rewritten function --------------------------------------------------------------

def _resolve(module, qualname):
    owner = module
    parts = qualname.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    raw = owner.__dict__[parts[-1]] if isinstance(owner, type) else getattr(owner, parts[-1])
    if isinstance(raw, staticmethod):
        raw = raw.__func__
    return getattr(raw, "__hasten_original__", raw)


def _bound_names(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
    return names


def _find_def(body, parts):
    """The def (or class) at ``parts`` (a qualname split on dots) among ``body``; its parents."""
    chain = []
    for i, part in enumerate(parts):
        found = None
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == part:
                found = node  # the last definition wins, as at run time
        if found is None:
            return None, chain
        if i == len(parts) - 1:
            return found, chain
        chain.append(found)
        body = found.body
    return None, chain


def _changed_statements(old_tree, new_tree):
    """Top-level statements of the new module that the old one does not have, verbatim."""
    old = {}
    for node in old_tree.body:
        old.setdefault(ast.dump(node), 0)
        old[ast.dump(node)] += 1
    out = []
    for node in new_tree.body:
        key = ast.dump(node)
        if old.get(key):
            old[key] -= 1
            continue
        out.append(node)
    return out


SAFE_DECORATORS = {"staticmethod", "classmethod", "cache", "lru_cache", "functools.cache", "functools.lru_cache", "wraps", "cached_property"}


def _decorator_name(node):
    target = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(target)


def load_function_only(old_module, new_file, qualname):
    """The rewritten function, compiled into a copy of the original module's namespace; plus a
    note on how it was loaded."""
    with open(new_file, "rb") as handle:
        new_source = handle.read()
    old_file = getattr(old_module, "__file__", None)
    with open(old_file, "rb") as handle:
        old_source = handle.read()
    new_tree = ast.parse(new_source, new_file)
    old_tree = ast.parse(old_source, old_file)
    parts = qualname.split(".")
    target, chain = _find_def(new_tree.body, parts)
    if target is None or any(not isinstance(c, ast.ClassDef) for c in chain):
        raise LookupError(f"{qualname} not found in the rewritten file")
    namespace = dict(vars(old_module))
    # Statements the rewrite changed or added at the top level, except the class that holds a
    # rewritten method (its body would run again): the method alone is compiled below.
    changed = [n for n in _changed_statements(old_tree, new_tree) if not (chain and n is chain[0])]
    if not chain:
        changed = [n for n in changed if n is not target] + [target]
    for node in changed:
        module = ast.Module(body=[node], type_ignores=[])
        try:
            exec(compile(module, new_file, "exec"), namespace)
        except Exception:
            if node is not target or not target.decorator_list:
                raise
            # A decorator that registers the function (a dispatch table) refuses a second
            # registration: compile the function with the decorators that only wrap it.
            stripped = copy.copy(target)
            stripped.decorator_list = [d for d in target.decorator_list if _decorator_name(d) in SAFE_DECORATORS]
            exec(compile(ast.Module(body=[stripped], type_ignores=[]), new_file, "exec"), namespace)
    if not chain:
        raw = namespace[target.name]
        return (raw.__func__ if isinstance(raw, staticmethod) else raw), namespace
    # A method: compile it inside classes of the same names, so that private names are mangled as
    # in the real class; then point its ``__class__`` cell (zero-argument super()) at the real class.
    owner = old_module
    for part in parts[:-1]:
        owner = getattr(owner, part)
    inner = target
    for cls in reversed(chain):
        inner = ast.ClassDef(name=cls.name, bases=[], keywords=[], body=[inner], decorator_list=[], type_params=[]) if sys.version_info >= (3, 12) else ast.ClassDef(name=cls.name, bases=[], keywords=[], body=[inner], decorator_list=[])
    holder = dict(namespace)
    exec(compile(ast.fix_missing_locations(ast.Module(body=[inner], type_ignores=[])), new_file, "exec"), holder)
    temp = holder[chain[0].name]
    for cls in chain[1:]:
        temp = temp.__dict__[cls.name]
    raw = temp.__dict__[target.name]
    if isinstance(raw, (staticmethod, classmethod)):
        raw = raw.__func__
    if isinstance(raw, types.FunctionType) and raw.__closure__ and "__class__" in raw.__code__.co_freevars:
        cells = tuple(
            types.CellType(owner) if name == "__class__" else cell
            for name, cell in zip(raw.__code__.co_freevars, raw.__closure__)
        )
        compiled = raw
        raw = types.FunctionType(compiled.__code__, compiled.__globals__, compiled.__name__, compiled.__defaults__, cells)
        raw.__kwdefaults__ = compiled.__kwdefaults__
        raw.__qualname__ = qualname
    return raw, namespace


# -- main -------------------------------------------------------------------------------------

def _load_new(module, path):
    spec = importlib.util.spec_from_file_location(module.__name__, path)
    new = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(new)
    return new


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        config = json.load(handle)
    sys.path[:] = config["sys_path"]
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    out = {"calls": [], "edge_cases": [], "timing": None, "scale": [], "loaded": None, "error": None}
    try:
        with open(config["calls"], "rb") as handle:
            calls = pickle.load(handle)
        old_module = importlib.import_module(config["module"])
        old_fn = _resolve(old_module, config["qualname"])
        try:
            new_fn, _ = load_function_only(old_module, config["new_file"], config["qualname"])
            out["loaded"] = "function"
        except Exception as exc:
            # Fall back to loading the rewritten module beside the original.
            new_module = _load_new(old_module, config["new_file"])
            new_fn = _resolve(new_module, config["qualname"])
            out["loaded"] = f"module ({type(exc).__name__}: {exc})"[:300]
        old_clears = caches_of(old_fn)
        new_clears = caches_of(new_fn)
        out["calls"] = compare(old_fn, new_fn, calls, old_clears, new_clears)
        out["caches"] = {"old": len(old_clears), "new": len(new_clears)}
        if config.get("edge_cases", True):
            out["edge_cases"] = edge_cases(old_fn, new_fn, calls, out["calls"], old_clears, new_clears)
        floor = float(config.get("floor", 0.05))
        if config.get("time", True):
            out["timing"] = timing(old_fn, new_fn, calls, out["calls"], int(config.get("rounds", 9)), float(config.get("budget", 20.0)),
                                   int(config.get("max_inputs", 6)), floor, old_clears, new_clears)
        if config.get("scale") and out["timing"] is not None:
            out["scale"] = scale_check(old_fn, new_fn, calls, out["calls"], list(config["scale"]), float(config.get("scale_budget", 20.0)),
                                       float(config.get("scale_deadline", 3.0)), floor, old_clears, new_clears)
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
    with open(config["out"], "w", encoding="utf-8") as handle:
        json.dump(out, handle, default=_json_default)


def _json_default(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return repr(value)


if __name__ == "__main__":
    main()
