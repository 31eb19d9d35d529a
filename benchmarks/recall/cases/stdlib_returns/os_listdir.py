# recall case: `os.listdir()` result scanned for every expected file
# expect: HS101@8 "if name not in present"
import os


def missing_files(directory, expected):
    present = os.listdir(directory)
    return [name for name in expected if name not in present]
