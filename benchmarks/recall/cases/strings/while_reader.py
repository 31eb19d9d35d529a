# recall case: string grown in a `while` loop reading chunks
# expect: HS103@11 "data += chunk"


def read_all(stream):
    data = ""
    while True:
        chunk = stream.read(4096)
        if not chunk:
            break
        data += chunk
    return data
