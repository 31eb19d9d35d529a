# recall case: `pop(0)` once, outside any loop
# expect: silent
# why: one shift of the list, nothing repeats.
import sys


def main():
    args = sys.argv[1:]
    command = args.pop(0) if args else "help"
    return command, args
