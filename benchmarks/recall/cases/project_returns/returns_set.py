# recall case: project function returning a set, scanned in a loop
# expect: silent
# why: the helper returns a set comprehension.


def load_stopwords(path):
    with open(path) as fh:
        return {line.strip() for line in fh}


def content(words, path):
    stop = load_stopwords(path)
    return [w for w in words if w not in stop]
