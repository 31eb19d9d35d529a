# recall case: answer string built with `+=` at module level
# expect: HS103@7 "ans += str(i) + " ""
n = int(input())
ans = ""
for i in range(1, n + 1):
    if n % i == 0:
        ans += str(i) + " "
print(ans.strip())
