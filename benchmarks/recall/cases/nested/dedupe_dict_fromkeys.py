# recall case: order-preserving dedupe with `dict.fromkeys`
# expect: silent
# why: already the rewrite of a list-based dedupe.


def unique_words(text):
    return list(dict.fromkeys(text.split()))
