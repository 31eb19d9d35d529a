# recall case: main guard concatenating a handful of strings without a loop
# expect: silent
# why: a fixed number of concatenations.
import sys

if __name__ == "__main__":
    name = sys.argv[1]
    banner = "=" * 10
    banner += " " + name + " "
    banner += "=" * 10
    print(banner)
