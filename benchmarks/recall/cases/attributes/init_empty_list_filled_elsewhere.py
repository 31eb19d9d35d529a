# recall case: `self.stopwords = []` in `__init__`, extended by a loader, scanned per token
# expect: HS101@15 "if tok not in self.stopwords"


class Tokenizer:
    def __init__(self):
        self.stopwords = []

    def load(self, path):
        with open(path) as fh:
            self.stopwords.extend(line.strip() for line in fh)

    def tokens(self, text):
        words = text.lower().split()
        return [tok for tok in words if tok not in self.stopwords]
