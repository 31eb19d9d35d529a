# recall case: string built in a while loop under the main guard
# expect: HS103@10 "out += digits[n % 2]"
import sys

if __name__ == "__main__":
    n = int(sys.argv[1])
    digits = "01"
    out = ""
    while n:
        out += digits[n % 2]
        n //= 2
    print(out[::-1] or "0")
