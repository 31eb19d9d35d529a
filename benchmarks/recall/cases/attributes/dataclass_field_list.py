# recall case: dataclass field annotated `list[str]`, scanned in a loop
# expect: HS101@13 "if h.name in self.blocked_hosts"
from dataclasses import dataclass, field


@dataclass
class Policy:
    blocked_hosts: list[str] = field(default_factory=list)

    def allowed(self, hosts):
        ok = []
        for h in hosts:
            if h.name in self.blocked_hosts:
                continue
            ok.append(h)
            print("allowing", h.name)
        return ok
