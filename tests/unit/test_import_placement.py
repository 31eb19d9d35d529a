"""Imports a fix adds land where isort (ruff's I001) would put them."""

from __future__ import annotations

import pytest

from hasten.analyzers.fixes import apply_edits
from hasten.analyzers.rewrite import add_import, module_import_edit
from hasten.analyzers.source import Source

CASES = [
    (
        "import os\nimport sys\n\nimport numpy\n",
        "import functools\nimport os\nimport sys\n\nimport numpy\n",
    ),
    (
        "import numpy\n\n\ndef f():\n    return numpy\n",
        "import functools\n\nimport numpy\n\n\ndef f():\n    return numpy\n",
    ),
    (
        '"""Doc."""\n\nfrom __future__ import annotations\n\nimport abc\nfrom os import path\n\nimport numpy\n',
        '"""Doc."""\n\nfrom __future__ import annotations\n\nimport abc\nimport functools\nfrom os import path\n\nimport numpy\n',
    ),
    ("import zlib\n", "import functools\nimport zlib\n"),
    ("from collections import deque\n", "import functools\nfrom collections import deque\n"),
    ("import abc\n", "import abc\nimport functools\n"),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_add_import_sorts_into_the_leading_block(before, after):
    edit = add_import(Source(before), "import functools")
    assert apply_edits(before.encode(), [edit]).decode() == after


def test_module_import_edit_sorts_too():
    before = "import sys\n\nimport numpy\n"
    edit, ok = module_import_edit(Source(before), "collections")
    assert ok
    assert apply_edits(before.encode(), [edit]).decode() == "import collections\nimport sys\n\nimport numpy\n"
