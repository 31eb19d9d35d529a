# recall case: module-level queue simulation with `pop(0)`
# expect: HS102@7 "t = waiting.pop(0)"
n = int(input())
waiting = [int(x) for x in input().split()]
clock = 0
while waiting:
    t = waiting.pop(0)
    clock += t
    if t > 1:
        waiting.append(t // 2)
print(clock)
