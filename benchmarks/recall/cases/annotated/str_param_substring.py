# recall case: `str` parameter: `in` is a substring test
# expect: silent
# why: `ch in vowels` on a str is a substring search over a short constant-like string; a set would change the meaning for multi-character operands.


def count_vowels(text, vowels: str = "aeiou"):
    return sum(1 for ch in text if ch in vowels)
