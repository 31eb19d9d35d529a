# recall case: main guard building a list with a comprehension
# expect: silent
# why: already the rewrite.
import sys

if __name__ == "__main__":
    values = [int(tok) for tok in sys.stdin.read().split()]
    print(max(values) - min(values))
