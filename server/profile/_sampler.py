"""The sampling profiler hasten starts (from ``sitecustomize``) in every Python process of a
profiled run, inside an isolated copy of the project.

Standalone on purpose: it runs under the project's interpreter, which may not have hasten.
Configured by the JSON file named in $HASTEN_PROFILE:

    {"roots": [copy root, ...], "out": directory, "interval": seconds,
     "targets": {relpath: [qualname, ...]},      functions whose calls are counted
     "flagged": {relpath: {line: [name, ...]}}}  lines whose containers' sizes are sampled

A CPU-time interval timer (SIGPROF) interrupts the main thread about every ``interval``; each
sample walks the stack and charges the CPU time since the previous sample to the project's frames
(code object and line). A C call that holds the interpreter for long gets one late sample, but
that sample carries the whole time, so long builtin calls (``x in big_list``) are not
under-counted. Where signals are unavailable a thread samples the main thread instead.

Every process writes ``out/<pid>.json`` now and then (so a run killed at its timeout still leaves
a partial profile) and at exit; a forked child starts afresh under its own pid. Only times, call
counts, type names and lengths are written: never a value. Under pytest each sample also notes
which test was running (the node id pytest puts in $PYTEST_CURRENT_TEST, its phase cut off), so
the profile can name the tests that spend time in a function.
"""

import atexit
import json
import os
import signal
import sys
import threading
import time

_MISSING = object()
_GENERATOR, _COROUTINE, _ASYNC_GENERATOR = 0x20, 0x80, 0x200
SIZE_SAMPLES_PER_LINE = 64  # after this many, one in SIZE_THIN further visits is looked at
SIZE_THIN = 16
FIRST_FLUSH = 1.0  # seconds of wall time


def _sized_bases():
    import collections

    return (list, dict, set, frozenset, tuple, str, bytes, bytearray, collections.deque)


class Sampler:
    def __init__(self, config):
        self.roots = [os.path.realpath(r) for r in config.get("roots", [])]
        self.out = config["out"]
        self.interval = float(config.get("interval", 0.001))
        self.flagged = {}
        for rel, lines in (config.get("flagged") or {}).items():
            for line, names in lines.items():
                self.flagged[(rel, int(line))] = tuple(names)
        self.targets = {rel: set(names) for rel, names in (config.get("targets") or {}).items()}
        self.target_stems = {os.path.splitext(os.path.basename(rel))[0] for rel in self.targets}
        self.target_stems |= {os.path.basename(os.path.dirname(rel)) for rel in self.targets if rel.endswith("__init__.py")}
        self.bases = _sized_bases()
        self.call_cells = {}  # (rel, qualname, firstline) -> [count]
        self.mode = None
        self.reset()

    # -- state ------------------------------------------------------------------------------

    def reset(self):
        self.pid = os.getpid()
        self.name = f"{self.pid}-{time.time_ns()}"  # exec keeps the pid: the new program writes its own file
        self.files = {}  # co_filename -> project-relative path, or None outside the project
        self.stacks = {}  # (test index, ((code, line), ...) innermost first) -> [seconds, samples]
        self.tests = {}  # $PYTEST_CURRENT_TEST as set -> index into test_ids, or -1 outside a test
        self.test_ids = []  # node ids, phase cut off
        self.test_index = {}  # node id -> index into test_ids
        self.sizes = {}  # (rel, line, name) -> [type, max, min, count, total]
        self.size_visits = {}
        self.jump_lines = {}  # (code, instruction offset) -> line, for instructions without one
        self.total = 0.0
        self.samples = 0
        self.started_wall = time.time()
        self.started = time.monotonic()
        self.next_flush = self.started + FIRST_FLUSH
        self.busy = False
        self.last = time.process_time()
        for cell in self.call_cells.values():
            cell[0] = 0

    def relpath(self, filename):
        rel = None
        if filename and not filename.startswith("<"):
            real = os.path.realpath(filename)
            for root in self.roots:
                if real.startswith(root + os.sep):
                    rel = os.path.relpath(real, root).replace(os.sep, "/")
                    break
        self.files[filename] = rel
        return rel

    # -- sampling ---------------------------------------------------------------------------

    def on_signal(self, signum, frame):
        if self.busy:
            return  # the time is charged to the next sample
        self.busy = True
        try:
            self.sample(frame, time.process_time() - self.last)
            if time.monotonic() >= self.next_flush:
                self.flush_timed()
        finally:
            self.last = time.process_time()  # the sampler's own time is charged to nobody
            self.busy = False

    def sample(self, frame, seconds):
        files = self.files
        flagged = self.flagged
        key = []
        while frame is not None:
            code = frame.f_code
            rel = files.get(code.co_filename, _MISSING)
            if rel is _MISSING:
                rel = self.relpath(code.co_filename)
            if rel is not None:
                line = frame.f_lineno
                if line is None:
                    line = self.line_before(code, frame.f_lasti)
                key.append((code, line))
                if flagged and (rel, line) in flagged:
                    self.sample_sizes(frame, rel, line)
            frame = frame.f_back
        key = (self.current_test(), tuple(key))
        entry = self.stacks.get(key)
        if entry is None:
            self.stacks[key] = [seconds, 1]
        else:
            entry[0] += seconds
            entry[1] += 1
        self.total += seconds
        self.samples += 1

    def current_test(self):
        """The index of the test pytest is running ($PYTEST_CURRENT_TEST: "path::name (call)"), or -1."""
        raw = os.environ.get("PYTEST_CURRENT_TEST")
        if raw is None:
            return -1
        index = self.tests.get(raw)
        if index is None:
            node = raw
            if node.endswith(")"):
                head, sep, _phase = node.rpartition(" (")
                if sep:
                    node = head
            index = self.test_index.get(node)
            if index is None:
                index = self.test_index[node] = len(self.test_ids)
                self.test_ids.append(node)
            self.tests[raw] = index
        return index

    def line_before(self, code, lasti):
        """The line of the nearest instruction before ``lasti`` that has one: a loop's backward
        jump, where the interpreter handles signals, belongs to no line."""
        key = (code, lasti)
        line = self.jump_lines.get(key)
        if line is None:
            line = code.co_firstlineno
            for start, _end, number in code.co_lines():
                if start > lasti:
                    break
                if number is not None:
                    line = number
            self.jump_lines[key] = line
        return line

    def sample_sizes(self, frame, rel, line):
        visits = self.size_visits.get((rel, line), 0) + 1
        self.size_visits[(rel, line)] = visits
        if visits > SIZE_SAMPLES_PER_LINE and visits % SIZE_THIN:
            return
        try:
            local = frame.f_locals
        except Exception:
            return
        for name in self.flagged[(rel, line)]:
            head, _, attribute = name.partition(".")
            value = local.get(head, _MISSING)
            if value is _MISSING:
                value = frame.f_globals.get(head, _MISSING)
            if value is not _MISSING and attribute:
                try:  # the instance's own dict: no property or __getattr__ runs
                    value = object.__getattribute__(value, "__dict__").get(attribute, _MISSING)
                except Exception:
                    value = _MISSING
            if value is _MISSING:
                continue
            size = self.size_of(value)
            if size is None:
                continue
            record = self.sizes.get((rel, line, name))
            if record is None:
                self.sizes[(rel, line, name)] = [type(value).__name__, size, size, 1, size]
            else:
                record[1] = max(record[1], size)
                record[2] = min(record[2], size)
                record[3] += 1
                record[4] += size

    def size_of(self, value):
        kind = type(value)
        for base in self.bases:
            if isinstance(value, base):
                return base.__len__(value)  # the builtin's length, never a subclass's __len__
        module = getattr(kind, "__module__", "") or ""
        if kind.__name__ == "ndarray" and module.startswith("numpy"):
            return int(value.size)
        if module.startswith("pandas.") and kind.__name__ in ("DataFrame", "Series", "Index"):
            return int(value.shape[0])
        return None

    # -- call counts ------------------------------------------------------------------------

    def wrap_module(self, module, rel):
        import functools

        for qualname in sorted(self.targets.get(rel, ())):
            parts = qualname.split(".")
            if "<locals>" in parts or qualname == "<module>":
                continue
            owner = module
            for part in parts[:-1]:
                owner = getattr(owner, "__dict__", {}).get(part)
                if owner is None:
                    break
            if owner is None:
                continue
            namespace = getattr(owner, "__dict__", None)
            if namespace is None or parts[-1] not in namespace:
                continue
            raw = namespace[parts[-1]]
            kind = None
            if isinstance(raw, (staticmethod, classmethod)):
                kind, raw = type(raw), raw.__func__
            code = getattr(raw, "__code__", None)
            if code is None or os.path.realpath(code.co_filename) != os.path.realpath(module.__file__):
                continue  # a decorator replaced it, or it comes from elsewhere
            if code.co_flags & _ASYNC_GENERATOR:
                continue
            cell = self.call_cells.setdefault((rel, qualname, code.co_firstlineno), [0])
            wrapper = functools.wraps(raw)(_counting(raw, cell, code.co_flags))
            try:
                setattr(owner, parts[-1], kind(wrapper) if kind else wrapper)
            except (AttributeError, TypeError):
                continue

    # -- output -----------------------------------------------------------------------------

    def flush_timed(self):
        began = time.monotonic()
        self.flush(final=False)
        cost = time.monotonic() - began
        # Writing out costs time; keep it under ~3% of the run, and at least a second apart.
        self.next_flush = time.monotonic() + max(FIRST_FLUSH, 30 * cost, (began - self.started) / 4)

    def flush(self, final=True):
        codes = {}
        table = []
        stacks = []
        for (test, key), (seconds, samples) in self.stacks.items():
            flat = []
            for code, line in key:
                index = codes.get(code)
                if index is None:
                    index = codes[code] = len(table)
                    table.append([self.files.get(code.co_filename), getattr(code, "co_qualname", code.co_name), code.co_firstlineno])
                flat.append(index)
                flat.append(line)
            stacks.append([seconds, samples, flat, test])
        data = {
            "pid": self.pid,
            "ppid": os.getppid(),
            "mode": self.mode,
            "final": final,
            "cpu_seconds": self.total,
            "samples": self.samples,
            "wall_seconds": time.monotonic() - self.started,
            "interval": self.interval,
            "python": sys.version.split()[0],
            "codes": table,
            "stacks": stacks,
            "tests": self.test_ids,
            "sizes": [[rel, line, name, *record] for (rel, line, name), record in self.sizes.items()],
            "calls": [[rel, qualname, line, cell[0]] for (rel, qualname, line), cell in self.call_cells.items() if cell[0]],
        }
        path = os.path.join(self.out, f"{self.name}.json")
        temporary = path + ".tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
            os.replace(temporary, path)
        except OSError:
            pass

    # -- life cycle -------------------------------------------------------------------------

    def start(self):
        try:
            usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
            usable = usable and signal.getsignal(signal.SIGPROF) in (signal.SIG_DFL, None)
        except (AttributeError, ValueError):
            usable = False
        if usable:
            signal.signal(signal.SIGPROF, self.on_signal)
            signal.siginterrupt(signal.SIGPROF, False)  # restart interrupted system calls
            signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
            self.mode = "signal"
        else:
            self.mode = "thread"
            self.start_thread()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self.after_fork)
        atexit.register(self.stop)
        self.guard_exec()
        if self.targets:
            sys.meta_path.insert(0, _CountingFinder(self))
            sys.setrecursionlimit(sys.getrecursionlimit() * 2)  # a counting wrapper adds a frame per call

    def start_thread(self):
        main = threading.main_thread().ident

        def loop():
            while True:
                time.sleep(self.interval)
                frame = sys._current_frames().get(main)
                now = time.process_time()
                if not self.busy:
                    self.busy = True
                    try:
                        self.sample(frame, now - self.last)
                        if time.monotonic() >= self.next_flush:
                            self.flush_timed()
                    finally:
                        self.last = time.process_time()
                        self.busy = False

        threading.Thread(target=loop, name="hasten-profile-sampler", daemon=True).start()

    def guard_exec(self):
        """Interval timers survive exec, signal handlers do not: an exec'd program would die of
        SIGPROF before it could install its own. Stop the timer and write out before exec, and
        before os._exit, which skips atexit."""
        sampler = self

        def guarded(original):
            def exec_function(*args, **kwargs):
                sampler.stop()
                try:
                    return original(*args, **kwargs)
                finally:  # the exec failed: this program goes on
                    sampler.restart()
            exec_function.__name__ = original.__name__
            exec_function.__doc__ = original.__doc__
            return exec_function

        for name in ("execv", "execve"):
            if hasattr(os, name):
                setattr(os, name, guarded(getattr(os, name)))

        # Forked children (multiprocessing's among them) leave through os._exit, past atexit.
        original_exit = os._exit

        def _exit(status):
            sampler.stop()
            original_exit(status)

        os._exit = _exit

    def restart(self):
        self.busy = False
        if self.mode == "signal":
            self.last = time.process_time()
            signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)

    def after_fork(self):
        self.reset()
        if self.mode == "signal":
            signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)  # timers are not inherited
        else:
            self.start_thread()

    def stop(self):
        if os.getpid() != self.pid or self.busy:
            return
        if self.mode == "signal":
            try:
                signal.setitimer(signal.ITIMER_PROF, 0, 0)
            except (OSError, ValueError):
                pass
        self.busy = True
        self.flush(final=True)


def _counting(function, cell, flags):
    if flags & _COROUTINE:
        async def hasten_counted(*args, **kwargs):
            cell[0] += 1
            return await function(*args, **kwargs)
    elif flags & _GENERATOR:
        def hasten_counted(*args, **kwargs):
            cell[0] += 1
            return (yield from function(*args, **kwargs))
    else:
        def hasten_counted(*args, **kwargs):
            cell[0] += 1
            return function(*args, **kwargs)
    return hasten_counted


class _CountingFinder:
    """Lets the other finders find a module; when it is a project file with counted functions,
    wraps them right after the module's code has run."""

    def __init__(self, sampler):
        self.sampler = sampler
        self.active = False

    def find_spec(self, name, path=None, target=None):
        if self.active or name.rpartition(".")[2] not in self.sampler.target_stems:
            return None
        self.active = True
        try:
            spec = None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    break
        finally:
            self.active = False
        if spec is None or not spec.origin or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        rel = self.sampler.relpath(spec.origin)
        if rel not in self.sampler.targets:
            return spec
        loader = spec.loader
        original = loader.exec_module
        sampler = self.sampler

        def exec_module(module):
            original(module)
            try:
                sampler.wrap_module(module, rel)
            except Exception:
                pass

        try:
            loader.exec_module = exec_module
        except AttributeError:
            pass
        return spec


_SAMPLER = None


def start():
    global _SAMPLER
    path = os.environ.get("HASTEN_PROFILE")
    if not path or _SAMPLER is not None:
        return None
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    _SAMPLER = Sampler(config)
    _SAMPLER.start()
    return _SAMPLER
