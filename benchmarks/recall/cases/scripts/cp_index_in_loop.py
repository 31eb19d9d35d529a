# recall case: `a.index(x)` in a module-level loop over queries
# expect: HS105@7 "a.index(x)"
n, q = map(int, input().split())
a = input().split()
for _ in range(q):
    x = input()
    print(a.index(x) + 1)
