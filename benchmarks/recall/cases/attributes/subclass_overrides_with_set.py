# recall case: base class assigns a list but the subclass reassigns a set, and the loop lives in the base
# expect: silent
# why: `self.keywords` can be a set in a subclass; the type at the loop is not provably a list.


class Lexer:
    def __init__(self):
        self.keywords = ["if", "else", "while"]

    def classify(self, tokens):
        return [t for t in tokens if t in self.keywords]


class FastLexer(Lexer):
    def __init__(self):
        super().__init__()
        self.keywords = set(self.keywords)
