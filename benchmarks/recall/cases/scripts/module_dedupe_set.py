# recall case: module-level dedupe that keeps a set alongside the list
# expect: silent
# why: the membership test is on the set; the list only keeps order.
import sys

seen = set()
ordered = []
for name in sys.argv[1:]:
    if name not in seen:
        seen.add(name)
        ordered.append(name)
print(ordered)
