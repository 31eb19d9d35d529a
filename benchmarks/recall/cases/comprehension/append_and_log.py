# recall case: loop that appends and also logs
# expect: silent
# why: the body does more than append; a comprehension would drop the side effect.
import logging


def parse_all(lines):
    out = []
    for line in lines:
        logging.debug("parsing %s", line)
        out.append(line.split("="))
    return out
