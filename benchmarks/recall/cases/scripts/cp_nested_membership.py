# recall case: CP script: membership in a list inside nested loops over a grid
# expect: HS101@9 "if grid[i][j] in walls"
h, w = map(int, input().split())
grid = [input() for _ in range(h)]
walls = list(input())
blocked = 0
for i in range(h):
    for j in range(w):
        if grid[i][j] in walls:
            blocked += 1
print(blocked)
