# recall case: competitive-programming script: membership in a list read from input()
# expect: HS101@8 "if x in b"
n, m = map(int, input().split())
a = list(map(int, input().split()))
b = list(map(int, input().split()))
count = 0
for x in a:
    if x in b:
        count += 1
print(count)
