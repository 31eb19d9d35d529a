# recall case: string attribute extended once per call, outside any loop
# expect: silent
# why: one concatenation per call; nothing repeats inside the function.


class Log:
    def __init__(self):
        self.text = ""

    def write(self, line):
        self.text += line + "\n"
