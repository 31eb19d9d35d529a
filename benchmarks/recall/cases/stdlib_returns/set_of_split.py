# recall case: `set(text.split())` built once, tested per word
# expect: silent
# why: the container is a set.


def count_known(lines, vocab_text):
    vocabulary = set(vocab_text.split())
    return sum(1 for line in lines for w in line.split() if w in vocabulary)
