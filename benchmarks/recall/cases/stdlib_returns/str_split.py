# recall case: `str.split()` result scanned for every line
# expect: HS101@10 "if word in vocabulary"


def count_known(lines, vocab_text):
    vocabulary = vocab_text.split()
    hits = 0
    for line in lines:
        for word in line.split():
            if word in vocabulary:
                hits += 1
    return hits
