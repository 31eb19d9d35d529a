# recall case: `max(a)` recomputed in a module-level loop
# expect: HS106@6 "max(a)"
n = int(input())
a = list(map(int, input().split()))
for i in range(n):
    print(max(a) - a[i])
