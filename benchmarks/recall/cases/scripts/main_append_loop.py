# recall case: append loop under the main guard
# expect: HS301@8 "values.append(int(tok))"
import sys

if __name__ == "__main__":
    values = []
    for tok in sys.stdin.read().split():
        values.append(int(tok))
    print(max(values) - min(values))
