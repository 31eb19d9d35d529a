# recall case: method annotated `-> list[str]` called once, its result scanned in a loop
# expect: HS101@17 "if col in required"


class Schema:
    def __init__(self, spec):
        self.spec = spec

    def required_columns(self) -> list[str]:
        return [name for name, opts in self.spec.items() if opts.get("required")]

    def missing(self, rows):
        required = self.required_columns()
        problems = 0
        for row in rows:
            for col in row:
                if col in required:
                    problems += 1
        return problems
