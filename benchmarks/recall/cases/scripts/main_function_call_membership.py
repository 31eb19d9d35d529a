# recall case: main guard calling a project function that returns a list, then scanning it
# expect: HS101@15 "if pkg in installed"
import subprocess
import sys


def installed_packages():
    out = subprocess.run(["pip", "freeze"], capture_output=True, text=True).stdout
    return [line.split("==")[0] for line in out.splitlines()]


if __name__ == "__main__":
    installed = installed_packages()
    for pkg in sys.argv[1:]:
        if pkg in installed:
            print(pkg, "ok")
