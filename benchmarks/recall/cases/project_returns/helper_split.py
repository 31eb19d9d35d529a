# recall case: helper returning `str.split()`; result scanned in a loop
# expect: HS101@13 "if w in banned"


def banned_words(config_text):
    return config_text.split(",")


def censor(words, config_text):
    banned = banned_words(config_text)
    clean = 0
    for w in words:
        if w in banned:
            continue
        clean += 1
    return clean
