"""Binary AIGER helpers for the corpus generator: strip ABC's comment section (it carries a date
stamp) and read the header counts, so that outputs are byte-for-byte reproducible and checkable
without another process."""

import hashlib


class AigerError(Exception):
    pass


def _skip_varint(data: bytes, pos: int) -> int:
    while True:
        if pos >= len(data):
            raise AigerError("truncated AND section")
        byte = data[pos]
        pos += 1
        if byte & 0x80 == 0:
            return pos


def parse(data: bytes):
    """Returns (clean_bytes, structure_hash, info) for a binary AIGER file.

    clean_bytes drops the comment section; structure_hash covers header, latches, outputs and
    AND gates only (not names), so structurally equal designs hash equal."""
    nl = data.find(b"\n")
    if nl < 0 or not data.startswith(b"aig "):
        raise AigerError("not a binary AIGER file")
    fields = data[4:nl].split()
    if len(fields) < 5:
        raise AigerError("bad header")
    m, i, l, o, a = (int(x) for x in fields[:5])
    extra = [int(x) for x in fields[5:]]
    b = extra[0] if len(extra) > 0 else 0
    c = extra[1] if len(extra) > 1 else 0
    pos = nl + 1
    outputs = []
    for k in range(l + o + b + c):
        e = data.find(b"\n", pos)
        if e < 0:
            raise AigerError("truncated header lines")
        if l <= k < l + o:
            outputs.append(int(data[pos:e].split()[0]))
        pos = e + 1
    for _ in range(2 * a):
        pos = _skip_varint(data, pos)
    structure_end = pos
    # Symbol table lines until a line that is exactly "c" (the comment section).
    while pos < len(data):
        e = data.find(b"\n", pos)
        if e < 0:
            e = len(data)
        line = data[pos:e]
        if line == b"c":
            break
        pos = e + 1
    clean = data[:pos]
    digest = hashlib.sha256(data[:structure_end]).hexdigest()
    info = {"inputs": i, "latches": l, "outputs": o, "ands": a,
            "nonconst_outputs": sum(1 for lit in outputs if lit > 1)}
    return clean, digest, info
