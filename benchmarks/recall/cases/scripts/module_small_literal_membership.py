# recall case: module-level loop testing membership in a set literal
# expect: silent
# why: a set literal is hashed; nothing to rewrite.
import sys

count = 0
for line in sys.stdin:
    if line.strip() in {"y", "yes", "true"}:
        count += 1
print(count)
