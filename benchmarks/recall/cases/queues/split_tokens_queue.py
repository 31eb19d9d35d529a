# recall case: tokens from `str.split()` consumed front first by a tiny parser
# expect: HS102@9 "tok = tokens.pop(0)"


def parse_rpn(expression):
    tokens = expression.split()
    stack = []
    while tokens:
        tok = tokens.pop(0)
        if tok in {"+", "-", "*"}:
            b, a = stack.pop(), stack.pop()
            stack.append(a + b if tok == "+" else a - b if tok == "-" else a * b)
        else:
            stack.append(int(tok))
    return stack[-1]
