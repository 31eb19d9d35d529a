# recall case: module-level comprehension filtering by a module-level list
# expect: HS101@6 "if line.split()[0] not in ignored"
ignored = open("ignore.txt").read().splitlines()
with open("log.txt") as fh:
    lines = fh.readlines()
kept = [line for line in lines if line.split()[0] not in ignored]
print(len(kept))
