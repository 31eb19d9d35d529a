# recall case: `glob.glob()` result scanned for every wanted path
# expect: HS101@10 "if path in existing"
import glob


def check(wanted):
    existing = glob.glob("data/*.csv")
    report = {}
    for path in wanted:
        if path in existing:
            report[path] = "ok"
        else:
            report[path] = "missing"
    return report
