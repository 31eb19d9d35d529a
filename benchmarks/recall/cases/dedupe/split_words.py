# recall case: dedupe words from `str.split()` with a list
# expect: HS115@8 "if w not in unique"


def unique_words(text):
    unique = []
    for w in text.split():
        if w not in unique:
            unique.append(w)
    return unique
