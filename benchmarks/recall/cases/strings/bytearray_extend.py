# recall case: `bytearray` grown with `+=`
# expect: silent
# why: bytearray is mutable; `+=` extends it in place.


def pack(chunks):
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
    return bytes(buf)
