# recall case: module-level script testing membership in a set read from input
# expect: silent
# why: `b` is a set.
n, m = map(int, input().split())
a = list(map(int, input().split()))
b = set(map(int, input().split()))
print(sum(1 for x in a if x in b))
