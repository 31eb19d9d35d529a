# recall case: `List[int]` parameter scanned in a while-loop condition
# expect: HS101@8 "while port in used_ports"
from typing import List


def free_port(used_ports: List[int], start: int = 8000) -> int:
    port = start
    while port in used_ports:
        port += 1
    return port
