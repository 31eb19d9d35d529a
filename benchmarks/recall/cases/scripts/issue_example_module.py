# recall case: the module-level script: dedupe, queue, string building
# expect: HS115@8 "if w not in seen"
# expect: HS102@12 "q.pop(0)"
# expect: HS103@15 "s += w"
words = open("w").read().split()
seen = []
for w in words:
    if w not in seen:
        seen.append(w)
q = list(range(len(words)))
while q:
    q.pop(0)
s = ""
for w in words:
    s += w
