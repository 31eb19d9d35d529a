# recall case: list grown and re-sorted on every iteration
# expect: HS116@9 "leaderboard.sort(reverse=True)"


def top_scores(stream, k):
    leaderboard = []
    for score in stream:
        leaderboard.append(score)
        leaderboard.sort(reverse=True)
        del leaderboard[k:]
    return leaderboard
