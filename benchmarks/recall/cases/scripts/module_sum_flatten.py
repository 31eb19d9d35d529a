# recall case: `sum(rows, [])` at module level
# expect: HS104@7 "flat = sum(rows, [])"
import json

with open("grid.json") as fh:
    rows = json.load(fh)
flat = sum(rows, [])
print(len(flat))
