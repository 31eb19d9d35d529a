# recall case: `readline()` returns a str: `in` is a substring test
# expect: silent
# why: `first` is a str; `w in first` searches for a substring and a set would change the meaning.


def words_on_first_line(path, words):
    with open(path) as fh:
        first = fh.readline()
    return [w for w in words if w in first]
