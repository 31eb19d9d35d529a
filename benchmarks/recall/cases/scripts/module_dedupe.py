# recall case: module-level dedupe with a list
# expect: HS115@7 "if name not in unique_names"
import sys

unique_names = []
for name in sys.argv[1:]:
    if name not in unique_names:
        unique_names.append(name)
print(unique_names)
