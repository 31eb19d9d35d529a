# recall case: method parameter annotated `list[int]`, membership in a while loop
# expect: HS101@11 "while n in taken"


class IdAllocator:
    def __init__(self, start: int):
        self.next_id = start

    def allocate(self, taken: list[int]) -> int:
        n = self.next_id
        while n in taken:
            n += 1
        self.next_id = n + 1
        return n
