# recall case: `string.ascii_letters` membership per character
# expect: silent
# why: a substring test on a 52-character constant; a set changes nothing measurable and the type is str.
import string


def count_letters(text):
    return sum(1 for ch in text if ch in string.ascii_letters)
