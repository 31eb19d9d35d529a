# recall case: `sorted(..., key=...)[-1]` under the main guard
# expect: HS304@8 "sorted(counts.items(), key=lambda kv: kv[1])[-1]"
import collections
import sys

if __name__ == "__main__":
    counts = collections.Counter(sys.stdin.read().split())
    word, n = sorted(counts.items(), key=lambda kv: kv[1])[-1]
    print(word, n)
