# recall case: `del buf[0]` consuming a list read from a file
# expect: HS109@11 "del buf[0]"


def checksum(path):
    with open(path) as fh:
        buf = fh.readlines()
    total = 0
    while buf:
        total += len(buf[0])
        del buf[0]
    return total
