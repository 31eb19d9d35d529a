"""Set resource limits, then exec the command. Runs as: python _launch.py LIMITS_JSON CMD...

A separate process rather than ``preexec_fn``: preexec_fn is unsafe in a threaded parent (the
language server), and this keeps the limits visible in the process table.
Standalone: imports nothing from hasten.
"""

import json
import os
import sys


def main() -> None:
    limits = json.loads(sys.argv[1])
    command = sys.argv[2:]
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        resource = None
    if resource is not None:
        def cap(which, value):
            try:
                soft, hard = resource.getrlimit(which)
                if hard != resource.RLIM_INFINITY:
                    value = min(value, hard)
                resource.setrlimit(which, (value, hard))
            except (ValueError, OSError):
                pass
        if limits.get("memory_bytes"):
            cap(resource.RLIMIT_AS, int(limits["memory_bytes"]))
        if limits.get("cpu_seconds"):
            cap(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
        if limits.get("file_bytes"):
            cap(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
        cap(resource.RLIMIT_CORE, 0)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
