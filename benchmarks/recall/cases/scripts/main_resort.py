# recall case: re-sorting a growing list under the main guard
# expect: HS116@9 "events.sort()"
import sys

if __name__ == "__main__":
    events = []
    for line in sys.stdin:
        events.append(float(line))
        events.sort()
        print(events[len(events) // 2])
