# recall case: `list[str] | None` parameter, membership in a generator passed to sum()
# expect: HS101@8 "in stopwords"


def content_words(tokens: list[str], stopwords: list[str] | None = None) -> int:
    if stopwords is None:
        return len(tokens)
    return sum(1 for t in tokens if t.lower() not in stopwords)
