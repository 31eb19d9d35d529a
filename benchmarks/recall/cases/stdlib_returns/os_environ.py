# recall case: `os.environ` membership in a loop
# expect: silent
# why: os.environ is a mapping.
import os


def missing_vars(names):
    return [n for n in names if n not in os.environ]
