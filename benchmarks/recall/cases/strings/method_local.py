# recall case: method building a local string from a list attribute
# expect: HS103@12 "body += line"


class Email:
    def __init__(self, lines):
        self.lines = lines

    def body_text(self):
        body = ""
        for line in self.lines:
            body += line
        return body
