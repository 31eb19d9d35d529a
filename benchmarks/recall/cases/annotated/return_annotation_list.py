# recall case: function in the same file annotated `-> list[str]`; its result is scanned in a loop
# expect: HS101@14 "if word in reserved"


def reserved_words() -> list[str]:
    with open("reserved.txt") as fh:
        return fh.read().split()


def escape_all(words):
    reserved = reserved_words()
    out = []
    for word in words:
        if word in reserved:
            out.append(word + "_")
        else:
            out.append(word)
    return out
