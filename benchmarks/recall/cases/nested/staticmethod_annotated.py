# recall case: staticmethod with `list[str]` parameter, `not in` inside any()
# expect: HS101@8 "f not in present"


class Form:
    @staticmethod
    def incomplete(required: list[str], present: list[str]) -> bool:
        return any(f not in present for f in required)
