# recall case: module-level counting with a dict
# expect: silent
# why: dict lookups are O(1).
import sys

counts = {}
for word in sys.stdin.read().split():
    counts[word] = counts.get(word, 0) + 1
print(len(counts))
