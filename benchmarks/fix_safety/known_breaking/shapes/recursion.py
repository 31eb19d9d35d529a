"""Recursive functions that a cache would break."""


def count_paths(grid, i, j):
    rows, cols = len(grid), len(grid[0])
    if i >= rows or j >= cols or grid[i][j]:
        return 0
    if i == rows - 1 and j == cols - 1:
        return 1
    return count_paths(grid, i + 1, j) + count_paths(grid, i, j + 1)


def hanoi(n, source, target, spare):
    if n == 0:
        return
    hanoi(n - 1, source, spare, target)
    print(f"move {n} from {source} to {target}")
    hanoi(n - 1, spare, target, source)


def ways(n, coins):
    if n == 0:
        return 1
    if n < 0 or not coins:
        return 0
    return ways(n - coins[0], coins) + ways(n, coins[1:])
