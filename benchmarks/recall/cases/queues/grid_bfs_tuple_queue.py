# recall case: grid BFS storing (row, col, dist) tuples in a list queue
# expect: HS102@10 "r, c, d = frontier.pop(0)"


def shortest(grid, start, goal):
    rows, cols = len(grid), len(grid[0])
    frontier = [(start[0], start[1], 0)]
    seen = {start}
    while frontier:
        r, c, d = frontier.pop(0)
        if (r, c) == goal:
            return d
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nr, nc = r + dr, c + dc
            if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] != "#" and (nr, nc) not in seen:
                seen.add((nr, nc))
                frontier.append((nr, nc, d + 1))
    return -1
