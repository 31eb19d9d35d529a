# recall case: a few `+=` on a string with no loop
# expect: silent
# why: a fixed number of concatenations.


def greeting(user):
    text = "Hello, "
    text += user.first_name
    text += "!"
    return text
