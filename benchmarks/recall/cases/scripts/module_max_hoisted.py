# recall case: module-level loop using a maximum computed once before it
# expect: silent
# why: the aggregate is already hoisted.
n = int(input())
a = list(map(int, input().split()))
top = max(a)
for i in range(n):
    print(top - a[i])
