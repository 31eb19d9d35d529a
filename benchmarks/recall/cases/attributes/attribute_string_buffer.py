# recall case: string attribute grown with `+=` in a loop (no in-place resize is possible for an attribute)
# expect: HS103@11 "self.text += "


class Report:
    def __init__(self):
        self.text = ""

    def add_rows(self, rows):
        for row in rows:
            self.text += f"{row.name}: {row.value}\n"
