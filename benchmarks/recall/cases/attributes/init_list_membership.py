# recall case: `self.banned` assigned a list in `__init__`, scanned in a loop in another method
# expect: HS101@11 "if p.source not in self.banned"
# expect: HS101@16 "if ip in self.banned"


class Firewall:
    def __init__(self, rules):
        self.banned = [r.ip for r in rules if r.action == "deny"]

    def filter(self, packets):
        return [p for p in packets if p.source not in self.banned]

    def count_banned(self, ips):
        n = 0
        for ip in ips:
            if ip in self.banned:
                n += 1
        return n
