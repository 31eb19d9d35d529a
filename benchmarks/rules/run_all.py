"""Same as ``python -m benchmarks.rules``, runnable as a script from the repository root."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.rules.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
