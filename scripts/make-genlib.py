#!/usr/bin/env python3
"""Writes libs/nangate45.genlib from the Nangate 45 nm typical Liberty file.

Usage: scripts/make-genlib.py ../shared/libs/liberty/nangate45_typ.lib.gz > libs/nangate45.genlib
       then scripts/embed-genlib.sh to refresh the copy compiled into the Synthesis module.

The rule (also written into the genlib header):
- one gate per logic function, the X1 drive strength of each Nangate cell;
- area: the cell's `area` (um^2);
- per input pin, rise (fall) block delay: the worst `cell_rise` (`cell_fall`) over all timing arcs of
  that pin, bilinearly interpolated in the NLDM table at input slew SLEW_NS and output load LOAD_FF,
  in picoseconds;
- fanout delay: the slope of that delay in the load direction at the same point (ps per fF);
- input load: the pin's `capacitance` (fF); max load: the output's `max_capacitance` (fF);
- phase: INV if every arc is negative_unate, NONINV if every arc is positive_unate, else UNKNOWN.
"""
import gzip
import re
import sys

SLEW_NS = 0.02
LOAD_FF = 3.0

CELLS = [
    "INV_X1", "BUF_X1",
    "NAND2_X1", "NAND3_X1", "NAND4_X1", "NOR2_X1", "NOR3_X1", "NOR4_X1",
    "AND2_X1", "AND3_X1", "AND4_X1", "OR2_X1", "OR3_X1", "OR4_X1",
    "XOR2_X1", "XNOR2_X1",
    "AOI21_X1", "AOI22_X1", "AOI211_X1", "AOI221_X1", "AOI222_X1",
    "OAI21_X1", "OAI22_X1", "OAI211_X1", "OAI221_X1", "OAI222_X1", "OAI33_X1",
    "MUX2_X1",
]
CONSTANTS = [("LOGIC0_X1", "CONST0"), ("LOGIC1_X1", "CONST1")]


def block(text, start):
    """Returns the text between the `{` at or after `start` and its matching `}`."""
    i = text.index("{", start)
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j]
    raise ValueError("unbalanced braces")


def groups(text, name):
    """Yields (argument, body) of every top-level group `name (arg) { ... }` in `text`."""
    pos = 0
    pattern = re.compile(r"\b" + name + r"\s*\(([^)]*)\)\s*\{")
    while True:
        m = pattern.search(text, pos)
        if not m:
            return
        body = block(text, m.end() - 1)
        yield m.group(1).strip().strip('"'), body
        pos = m.end() - 1 + len(body) + 2


def attribute(text, name):
    m = re.search(r"\b" + name + r"\s*:\s*\"?([^;\"]*)\"?\s*;", text)
    return m.group(1).strip() if m else None


def numbers(s):
    return [float(x) for x in re.findall(r"[-+0-9.eE]+", s)]


def table(body, kind):
    """(index_1, index_2, rows) of the `kind` table in a timing group, or None."""
    for _, t in groups(body, kind):
        i1 = numbers(re.search(r"index_1\s*\(\s*\"([^\"]*)\"", t).group(1))
        i2 = numbers(re.search(r"index_2\s*\(\s*\"([^\"]*)\"", t).group(1))
        rows = [numbers(r) for r in re.findall(r"\"([^\"]*)\"", re.search(r"values\s*\((.*?)\)\s*;", t, re.S).group(1))]
        return i1, i2, rows
    return None


def bracket(index, x):
    for k in range(len(index) - 1):
        if x <= index[k + 1]:
            return k
    return len(index) - 2


def lookup(tab, slew, load):
    """Bilinear interpolation (extrapolating at the edges) and the slope in the load direction."""
    i1, i2, rows = tab
    a, b = bracket(i1, slew), bracket(i2, load)
    ts = (slew - i1[a]) / (i1[a + 1] - i1[a])
    tl = (load - i2[b]) / (i2[b + 1] - i2[b])

    def at(col):
        return rows[a][col] + ts * (rows[a + 1][col] - rows[a][col])

    lo, hi = at(b), at(b + 1)
    return lo + tl * (hi - lo), (hi - lo) / (i2[b + 1] - i2[b])


class Parser:
    """Liberty boolean function -> genlib expression (`*`, `+`, `!`; `^` expanded)."""

    def __init__(self, s):
        self.tokens = re.findall(r"[A-Za-z_][A-Za-z0-9_]*|[()!&|^]", s)
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self):
        self.pos += 1
        return self.tokens[self.pos - 1]

    def parse(self):
        e = self.orexpr()
        assert self.peek() is None, self.tokens
        return e

    def orexpr(self):
        e = self.andexpr()
        while self.peek() == "|":
            self.take()
            e = ("or", e, self.andexpr())
        return e

    def andexpr(self):
        e = self.xorexpr()
        while self.peek() == "&":
            self.take()
            e = ("and", e, self.xorexpr())
        return e

    def xorexpr(self):
        e = self.unary()
        while self.peek() == "^":
            self.take()
            e = ("xor", e, self.unary())
        return e

    def unary(self):
        t = self.take()
        if t == "!":
            inner = self.unary()
            return inner[1] if inner[0] == "not" else ("not", inner)
        if t == "(":
            e = self.orexpr()
            assert self.take() == ")"
            return e
        return ("var", t)


def genlib(e, parent=None):
    kind = e[0]
    if kind == "var":
        return e[1]
    if kind == "not":
        inner = genlib(e[1], "not")
        return "!" + inner if e[1][0] == "var" else "!(" + inner + ")"
    if kind == "xor":
        a, b = e[1], e[2]
        e = ("or", ("and", a, ("not", b)), ("and", ("not", a), b))
        kind = "or"
    op = "*" if kind == "and" else "+"
    s = genlib(e[1], kind) + op + genlib(e[2], kind)
    return "(" + s + ")" if parent not in (None, kind, "not") else s


def gate(name, body):
    area = float(attribute(body, "area"))
    inputs, output, lines = [], None, []
    for pin, pbody in groups(body, "pin"):
        direction = attribute(pbody, "direction")
        if direction == "input":
            inputs.append((pin, float(attribute(pbody, "capacitance"))))
        elif direction == "output":
            output = (pin, pbody)
    out_name, out_body = output
    function = genlib(Parser(attribute(out_body, "function")).parse())
    max_load = float(attribute(out_body, "max_capacitance"))
    arcs = {}
    for _, tbody in groups(out_body, "timing"):
        arcs.setdefault(attribute(tbody, "related_pin"), []).append(tbody)
    for pin, cap in inputs:
        senses = {attribute(t, "timing_sense") for t in arcs[pin]}
        phase = {"negative_unate": "INV", "positive_unate": "NONINV"}.get(senses.pop(), "UNKNOWN") if len(senses) == 1 else "UNKNOWN"
        rise = max((lookup(table(t, "cell_rise"), SLEW_NS, LOAD_FF) for t in arcs[pin]), key=lambda d: d[0])
        fall = max((lookup(table(t, "cell_fall"), SLEW_NS, LOAD_FF) for t in arcs[pin]), key=lambda d: d[0])
        lines.append(
            f"    PIN {pin:<3} {phase:<7} {cap:.4f} {max_load:.4f} "
            f"{rise[0] * 1000:.2f} {rise[1] * 1000:.2f} {fall[0] * 1000:.2f} {fall[1] * 1000:.2f}")
    return f"GATE {name:<10} {area:.4f} {out_name}={function};\n" + "\n".join(lines) + "\n"


def main():
    path = sys.argv[1]
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        text = f.read()
    cells = {name: body for name, body in groups(text, "cell")}
    print("# Nangate 45 nm Open Cell Library (NangateOpenCellLibrary, typical corner: TypTyp, 1.1 V, 25 C)")
    print("# as a genlib for ABC's `map`. Source: nangate45_typ.lib (Apache-2.0, see ../shared/LICENSES),")
    print("# converted by scripts/make-genlib.py. Units: area um^2, delay ps, load fF.")
    print("# Rule: one gate per function, the X1 drive strength; area = the cell's `area`; per input pin the")
    print(f"# rise (fall) block delay = worst `cell_rise` (`cell_fall`) over that pin's timing arcs, bilinearly")
    print(f"# interpolated in the NLDM table at input slew {SLEW_NS * 1000:g} ps and load {LOAD_FF:g} fF; fanout delay = the")
    print("# slope of that delay per fF of load at the same point; input load = pin capacitance; max load = the")
    print("# output's max_capacitance; phase from timing_sense. Constants: the tie cells LOGIC0_X1/LOGIC1_X1.")
    print("# PIN fields: name phase input_load max_load rise_block rise_fanout fall_block fall_fanout")
    print()
    for name, function in CONSTANTS:
        print(f"GATE {name:<10} {float(attribute(cells[name], 'area')):.4f} Z={function};")
    print()
    for name in CELLS:
        print(gate(name, cells[name]))


if __name__ == "__main__":
    main()
