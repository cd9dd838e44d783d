"""Verilog generators for the corpus: each function takes its parameters (and a seeded
random.Random where the design is random) and returns the text of one module named `top`.
Most are written at gate level so yosys only maps them; a few are behavioural on purpose."""


class Net:
    """Collects wire declarations and assigns with fresh names (gate-level emission)."""

    def __init__(self):
        self.lines = []
        self.n = 0

    def wire(self, expr):
        self.n += 1
        name = f"w{self.n}"
        self.lines.append(f"  wire {name} = {expr};")
        return name

    def AND(self, a, b): return self.wire(f"{a} & {b}")
    def OR(self, a, b): return self.wire(f"{a} | {b}")
    def XOR(self, a, b): return self.wire(f"{a} ^ {b}")

    def full_add(self, a, b, c):
        t = self.XOR(a, b)
        return self.XOR(t, c), self.OR(self.AND(a, b), self.AND(t, c))

    def half_add(self, a, b):
        return self.XOR(a, b), self.AND(a, b)

    def ripple(self, xs, ys, cin="1'b0"):
        s, c = [], cin
        for x, y in zip(xs, ys):
            t, c = self.full_add(x, y, c)
            s.append(t)
        return s, c

    def body(self):
        return "\n".join(self.lines)


def _module(ports, net, outs):
    return "module top(" + ", ".join(ports) + ");\n" + net.body() + "\n" + "\n".join(outs) + "\nendmodule\n"


def _bits(v, w): return [f"{v}[{i}]" for i in range(w)]


# ---- adders -------------------------------------------------------------------------------

def _adder_ports(w): return [f"input [{w-1}:0] a", f"input [{w-1}:0] b", "input cin", f"output [{w}:0] s"]


def adder_ripple(w):
    n = Net()
    s, c = n.ripple(_bits("a", w), _bits("b", w), "cin")
    return _module(_adder_ports(w), n, [f"  assign s[{i}] = {x};" for i, x in enumerate(s)] + [f"  assign s[{w}] = {c};"])


def adder_cla(w, block):
    n = Net()
    a, b = _bits("a", w), _bits("b", w)
    g = [n.AND(x, y) for x, y in zip(a, b)]
    p = [n.XOR(x, y) for x, y in zip(a, b)]
    c, carries = "cin", []
    for lo in range(0, w, block):
        cin = c
        for j in range(lo, min(lo + block, w)):
            carries.append(c)
            # c_{j+1} = g_j | p_j g_{j-1} | ... | p_j..p_lo cin, written flat from the block's carry-in.
            terms = []
            for k in range(lo, j + 1):
                t = g[k]
                for m in range(k + 1, j + 1):
                    t = n.AND(t, p[m])
                terms.append(t)
            t = cin
            for m in range(lo, j + 1):
                t = n.AND(t, p[m])
            terms.append(t)
            acc = terms[0]
            for t in terms[1:]:
                acc = n.OR(acc, t)
            c = acc
    s = [n.XOR(p[i], carries[i]) for i in range(w)]
    return _module(_adder_ports(w), n, [f"  assign s[{i}] = {x};" for i, x in enumerate(s)] + [f"  assign s[{w}] = {c};"])


def adder_csel(w, block):
    n = Net()
    a, b = _bits("a", w), _bits("b", w)
    c, s = "cin", []
    for lo in range(0, w, block):
        hi = min(lo + block, w)
        s0, c0 = n.ripple(a[lo:hi], b[lo:hi], "1'b0")
        s1, c1 = n.ripple(a[lo:hi], b[lo:hi], "1'b1")
        s += [n.wire(f"{c} ? {y} : {x}") for x, y in zip(s0, s1)]
        c = n.wire(f"{c} ? {c1} : {c0}")
    return _module(_adder_ports(w), n, [f"  assign s[{i}] = {x};" for i, x in enumerate(s)] + [f"  assign s[{w}] = {c};"])


def _prefix_pairs(kind, w):
    """Levels of (i, j) combinations: G[i] := G[i] | P[i] & G[j] over the prefix graph."""
    levels = []
    if kind == "ks":
        d = 1
        while d < w:
            levels.append([(i, i - d) for i in range(d, w)])
            d *= 2
    elif kind == "sk":
        k = 0
        while (1 << k) < w:
            levels.append([(i, ((i >> k) << k) - 1) for i in range(w) if (i >> k) & 1])
            k += 1
    elif kind == "bk":
        d = 1
        while d < w:
            levels.append([(i, i - d) for i in range(2 * d - 1, w, 2 * d)])
            d *= 2
        d //= 2
        while d >= 1:
            lv = [(i, i - d) for i in range(3 * d - 1, w, 2 * d)]
            if lv:
                levels.append(lv)
            d //= 2
    elif kind == "hc":  # Han-Carlson: Kogge-Stone on odd bits, one more level for even bits.
        levels.append([(i, i - 1) for i in range(1, w, 2)])
        d = 2
        while d < w:
            levels.append([(i, i - d) for i in range(d + 1, w, 2) if i - d >= 1])
            d *= 2
        levels.append([(i, i - 1) for i in range(2, w, 2)])
    return levels


def adder_prefix(kind, w):
    n = Net()
    a, b = _bits("a", w), _bits("b", w)
    p = [n.XOR(x, y) for x, y in zip(a, b)]
    g = [n.AND(x, y) for x, y in zip(a, b)]
    g[0] = n.OR(g[0], n.AND(p[0], "cin"))
    G, P = list(g), list(p)
    for level in _prefix_pairs(kind, w):
        G2, P2 = list(G), list(P)
        for i, j in level:
            G2[i] = n.OR(G[i], n.AND(P[i], G[j]))
            P2[i] = n.AND(P[i], P[j])
        G, P = G2, P2
    s = [n.XOR(p[0], "cin")] + [n.XOR(p[i], G[i - 1]) for i in range(1, w)]
    return _module(_adder_ports(w), n, [f"  assign s[{i}] = {x};" for i, x in enumerate(s)] + [f"  assign s[{w}] = {G[w-1]};"])


# ---- multipliers --------------------------------------------------------------------------

def mult_array(w, h):
    n = Net()
    a, b = _bits("a", w), _bits("b", h)
    acc = [n.AND(a[j], b[0]) for j in range(w)]
    out = [acc[0]]
    acc = acc[1:] + ["1'b0"]
    for i in range(1, h):
        row = [n.AND(a[j], b[i]) for j in range(w)]
        s, c = n.ripple(row, acc, "1'b0")
        out.append(s[0])
        acc = s[1:] + [c]
    out += acc
    ports = [f"input [{w-1}:0] a", f"input [{h-1}:0] b", f"output [{w+h-1}:0] p"]
    return _module(ports, n, [f"  assign p[{i}] = {x};" for i, x in enumerate(out[:w + h])])


def mult_tree(w, h, final):
    """Wallace-style: columns of partial products reduced by full/half adders to two rows."""
    n = Net()
    a, b = _bits("a", w), _bits("b", h)
    cols = [[] for _ in range(w + h)]
    for i in range(h):
        for j in range(w):
            cols[i + j].append(n.AND(a[j], b[i]))
    while max(len(c) for c in cols) > 2:
        new = [[] for _ in range(w + h + 1)]
        for k, col in enumerate(cols):
            q = list(col)
            while len(q) >= 3:
                s, c = n.full_add(q.pop(0), q.pop(0), q.pop(0))
                new[k].append(s)
                new[k + 1].append(c)
            if len(q) == 2 and len(col) > 3:
                s, c = n.half_add(q.pop(0), q.pop(0))
                new[k].append(s)
                new[k + 1].append(c)
            new[k] += q
        cols = new[:w + h]
    xs = [c[0] if len(c) > 0 else "1'b0" for c in cols]
    ys = [c[1] if len(c) > 1 else "1'b0" for c in cols]
    if final == "ripple":
        s, _ = n.ripple(xs, ys, "1'b0")
    else:
        s = [n.wire(f"{{{', '.join(reversed(xs))}}} + {{{', '.join(reversed(ys))}}}")]
        ports = [f"input [{w-1}:0] a", f"input [{h-1}:0] b", f"output [{w+h-1}:0] p"]
        return _module(ports, n, []).replace(f"  wire {s[0]} =", f"  wire [{w+h-1}:0] {s[0]} =").replace("endmodule", f"  assign p = {s[0]};\nendmodule")
    ports = [f"input [{w-1}:0] a", f"input [{h-1}:0] b", f"output [{w+h-1}:0] p"]
    return _module(ports, n, [f"  assign p[{i}] = {x};" for i, x in enumerate(s)])


def mult_behav(w, h, signed):
    sg = "signed " if signed else ""
    return (f"module top(input {sg}[{w-1}:0] a, input {sg}[{h-1}:0] b, output {sg}[{w+h-1}:0] p);\n"
            f"  assign p = a * b;\nendmodule\n")


def mac(w):
    return (f"module top(input [{w-1}:0] a, input [{w-1}:0] b, input [{2*w-1}:0] c, output [{2*w}:0] y);\n"
            f"  assign y = a * b + c;\nendmodule\n")


def divider(w, d, what):
    body = {"div": "assign q = a / b;", "mod": "assign q = a % b;"}[what]
    return f"module top(input [{w-1}:0] a, input [{d-1}:0] b, output [{w-1}:0] q);\n  {body}\nendmodule\n"


# ---- comparators, ALUs, shifters ----------------------------------------------------------

def comparator(w, kind):
    ops = {"lt": "assign y = a < b;", "slt": "assign y = $signed(a) < $signed(b);", "eq": "assign y = a == b;",
           "all": "assign y = {a < b, a == b, $signed(a) < $signed(b), a > b};"}
    ow = 4 if kind == "all" else 1
    return f"module top(input [{w-1}:0] a, input [{w-1}:0] b, output [{ow-1}:0] y);\n  {ops[kind]}\nendmodule\n"


def maxof(k, w):
    lines = [f"module top(input [{k*w-1}:0] x, output [{w-1}:0] y, output [{max(1,(k-1).bit_length())-1}:0] idx);"]
    lines.append(f"  wire [{w-1}:0] m0 = x[{w-1}:0];\n  wire [{max(1,(k-1).bit_length())-1}:0] i0 = 0;")
    for i in range(1, k):
        lines.append(f"  wire [{w-1}:0] v{i} = x[{(i+1)*w-1}:{i*w}];")
        lines.append(f"  wire c{i} = v{i} > m{i-1};")
        lines.append(f"  wire [{w-1}:0] m{i} = c{i} ? v{i} : m{i-1};")
        lines.append(f"  wire [{max(1,(k-1).bit_length())-1}:0] i{i} = c{i} ? {i} : i{i-1};")
    lines.append(f"  assign y = m{k-1};\n  assign idx = i{k-1};\nendmodule\n")
    return "\n".join(lines)


ALU_OPS = ["a + b", "a - b", "a & b", "a | b", "a ^ b", "~(a & b)", "a << 1", "a >> 1", "{{(W-1){1'b0}}, a < b}",
           "{{(W-1){1'b0}}, $signed(a) < $signed(b)}", "{{(W-1){1'b0}}, a == b}", "b", "a + 1", "a - 1", "~a",
           "a << b[2:0]", "a >> b[2:0]", "(a & ~b)", "{a[W/2-1:0], a[W-1:W/2]}", "$signed(a) >>> 1"]


def alu(w, rng, nops):
    ops = rng.sample(ALU_OPS, nops)
    sw = max(1, (nops - 1).bit_length())
    lines = [f"module top(input [{w-1}:0] a, input [{w-1}:0] b, input [{sw-1}:0] op, output reg [{w-1}:0] y, output z);",
             f"  localparam W = {w};", "  always @* begin", "    case (op)"]
    for i, e in enumerate(ops):
        lines.append(f"      {sw}'d{i}: y = {e};")
    lines += ["      default: y = 0;", "    endcase", "  end", "  assign z = y == 0;", "endmodule", ""]
    return "\n".join(lines)


def shifter(w, kind):
    sw = max(1, (w - 1).bit_length())
    e = {"shl": "a << s", "shr": "a >> s", "sra": "$signed(a) >>> s",
         "rol": f"(a << s) | (a >> ({w} - s))", "ror": f"(a >> s) | (a << ({w} - s))"}[kind]
    return f"module top(input [{w-1}:0] a, input [{sw-1}:0] s, output [{w-1}:0] y);\n  assign y = {e};\nendmodule\n"


def shifter_bidir(w):
    sw = max(1, (w - 1).bit_length())
    return (f"module top(input [{w-1}:0] a, input [{sw-1}:0] s, input left, input arith, output [{w-1}:0] y);\n"
            f"  assign y = left ? a << s : (arith ? $signed(a) >>> s : a >> s);\nendmodule\n")


# ---- encoders, decoders, muxes ------------------------------------------------------------

def decoder(n):
    return f"module top(input [{n-1}:0] a, input en, output [{(1<<n)-1}:0] y);\n  assign y = en ? ({(1<<n)}'d1 << a) : 0;\nendmodule\n"


def encoder(n):
    w = 1 << n
    lines = [f"module top(input [{w-1}:0] x, output [{n-1}:0] y);"]
    for k in range(n):
        terms = " | ".join(f"x[{i}]" for i in range(w) if (i >> k) & 1)
        lines.append(f"  assign y[{k}] = {terms};")
    return "\n".join(lines) + "\nendmodule\n"


def priority_encoder(w, lsb_first):
    n = max(1, (w - 1).bit_length())
    rng = f"for (i = 0; i < {w}; i = i + 1)" if not lsb_first else f"for (i = {w-1}; i >= 0; i = i - 1)"
    return (f"module top(input [{w-1}:0] x, output reg [{n-1}:0] y, output v);\n  integer i;\n"
            f"  always @* begin\n    y = 0;\n    {rng}\n      if (x[i]) y = i;\n  end\n"
            f"  assign v = |x;\nendmodule\n")


def lzc(w):
    n = w.bit_length()
    return (f"module top(input [{w-1}:0] x, output reg [{n-1}:0] y);\n  integer i;\n  reg done;\n"
            f"  always @* begin\n    y = 0; done = 0;\n    for (i = {w-1}; i >= 0; i = i - 1)\n"
            f"      if (!done) begin if (x[i]) done = 1; else y = y + 1; end\n  end\nendmodule\n")


def mux(n, w, onehot):
    if onehot:
        lines = [f"module top(input [{n*w-1}:0] x, input [{n-1}:0] s, output [{w-1}:0] y);"]
        terms = " | ".join(f"(x[{(i+1)*w-1}:{i*w}] & {{{w}{{s[{i}]}}}})" for i in range(n))
        lines.append(f"  assign y = {terms};")
        return "\n".join(lines) + "\nendmodule\n"
    sw = max(1, (n - 1).bit_length())
    return f"module top(input [{n*w-1}:0] x, input [{sw-1}:0] s, output [{w-1}:0] y);\n  assign y = x[s*{w} +: {w}];\nendmodule\n"


# ---- CRC, parity, popcount, majority ------------------------------------------------------

CRC_POLYS = [("crc5", 5, 0x05), ("crc7", 7, 0x09), ("crc8", 8, 0x07), ("crc8m", 8, 0x31), ("crc10", 10, 0x233),
             ("crc11", 11, 0x385), ("crc12", 12, 0x80F), ("crc15", 15, 0x4599), ("crc16c", 16, 0x1021),
             ("crc16a", 16, 0x8005), ("crc24", 24, 0x864CFB), ("crc32", 32, 0x04C11DB7), ("crc32c", 32, 0x1EDC6F41),
             ("crc64", 64, 0x42F0E1EFA9B3C2D2)]


def crc(width, poly, dw):
    """Combinational CRC update of state c by dw data bits (MSB first), as an XOR matrix."""
    state = [1 << k for k in range(width)]  # bit k of state depends on variable set (bitmask)
    for i in reversed(range(dw)):
        fb = state[width - 1] ^ (1 << (width + i))
        state = [0] + state[:-1]
        for k in range(width):
            if (poly >> k) & 1:
                state[k] ^= fb
    names = [f"c[{k}]" for k in range(width)] + [f"d[{i}]" for i in range(dw)]
    lines = [f"module top(input [{width-1}:0] c, input [{dw-1}:0] d, output [{width-1}:0] n);"]
    for k, mask in enumerate(state):
        terms = [names[v] for v in range(width + dw) if (mask >> v) & 1] or ["1'b0"]
        lines.append(f"  assign n[{k}] = {' ^ '.join(terms)};")
    return "\n".join(lines) + "\nendmodule\n"


def parity(n, outs, rng):
    lines = [f"module top(input [{n-1}:0] x, output [{outs-1}:0] y);"]
    for k in range(outs):
        sub = sorted(rng.sample(range(n), max(2, n // 2))) if k > 0 else list(range(n))
        lines.append(f"  assign y[{k}] = {' ^ '.join(f'x[{i}]' for i in sub)};")
    return "\n".join(lines) + "\nendmodule\n"


def popcount(n):
    w = n.bit_length()
    return (f"module top(input [{n-1}:0] x, output reg [{w-1}:0] y);\n  integer i;\n"
            f"  always @* begin\n    y = 0;\n    for (i = 0; i < {n}; i = i + 1) y = y + x[i];\n  end\nendmodule\n")


def popcount_csa(n):
    """Popcount by a carry-save tree of full adders (gate level), then a ripple final add."""
    net = Net()
    w = n.bit_length()
    cols = [[f"x[{i}]" for i in range(n)]] + [[] for _ in range(w)]
    while max(len(c) for c in cols) > 2:
        new = [[] for _ in range(len(cols) + 1)]
        for k, col in enumerate(cols):
            q = list(col)
            while len(q) >= 3:
                s, c = net.full_add(q.pop(0), q.pop(0), q.pop(0))
                new[k].append(s)
                new[k + 1].append(c)
            new[k] += q
        cols = new[:w + 1]
    xs = [c[0] if c else "1'b0" for c in cols][:w]
    ys = [c[1] if len(c) > 1 else "1'b0" for c in cols][:w]
    s, _ = net.ripple(xs, ys, "1'b0")
    return _module([f"input [{n-1}:0] x", f"output [{w-1}:0] y"], net, [f"  assign y[{i}] = {x};" for i, x in enumerate(s)])


def majority(n):
    w = n.bit_length()
    return (f"module top(input [{n-1}:0] x, output y);\n  integer i;\n  reg [{w-1}:0] c;\n"
            f"  always @* begin\n    c = 0;\n    for (i = 0; i < {n}; i = i + 1) c = c + x[i];\n  end\n"
            f"  assign y = c > {n // 2};\nendmodule\n")


def voter(k, w):
    lines = [f"module top(input [{k*w-1}:0] x, output [{w-1}:0] y);", "  integer i, j;", f"  reg [{k.bit_length()-1}:0] c;",
             f"  reg [{w-1}:0] r;", "  always @* begin", f"    for (j = 0; j < {w}; j = j + 1) begin", "      c = 0;",
             f"      for (i = 0; i < {k}; i = i + 1) c = c + x[i*{w}+j];", f"      r[j] = c > {k // 2};", "    end",
             "  end", "  assign y = r;", "endmodule", ""]
    return "\n".join(lines)


# ---- sorting networks ---------------------------------------------------------------------

def _bitonic(n):
    pairs = []
    k = 2
    while k <= n:
        j = k // 2
        while j >= 1:
            for i in range(n):
                l = i ^ j
                if l > i:
                    pairs.append((i, l) if (i & k) == 0 else (l, i))
            j //= 2
        k *= 2
    return pairs


def _oddeven(n):
    pairs = []
    p = 1
    while p < n:
        k = p
        while k >= 1:
            for j in range(k % p, n - k, 2 * k):
                for i in range(min(k, n - j - k)):
                    if (i + j) // (2 * p) == (i + j + k) // (2 * p):
                        pairs.append((i + j, i + j + k))
            k //= 2
        p *= 2
    return pairs


def sorter(kind, n, w):
    pairs = _bitonic(n) if kind == "bitonic" else _oddeven(n)
    lines = [f"module top(input [{n*w-1}:0] x, output [{n*w-1}:0] y);"]
    cur = [f"x[{(i+1)*w-1}:{i*w}]" for i in range(n)]
    for t, (i, j) in enumerate(pairs):
        lines.append(f"  wire sw{t} = {cur[i]} > {cur[j]};")
        lines.append(f"  wire [{w-1}:0] lo{t} = sw{t} ? {cur[j]} : {cur[i]};")
        lines.append(f"  wire [{w-1}:0] hi{t} = sw{t} ? {cur[i]} : {cur[j]};")
        cur[i], cur[j] = f"lo{t}", f"hi{t}"
    lines.append("  assign y = {" + ", ".join(reversed(cur)) + "};")
    return "\n".join(lines) + "\nendmodule\n"


# ---- FSMs and random logic ----------------------------------------------------------------

def fsm(rng, states, nin, nout, onehot):
    """Next-state and output logic of a random FSM (the state register is left out)."""
    sw = states if onehot else max(1, (states - 1).bit_length())
    code = (lambda s: f"{sw}'b" + format(1 << s, f"0{sw}b")) if onehot else (lambda s: f"{sw}'d{s}")
    lines = [f"module top(input [{sw-1}:0] s, input [{nin-1}:0] x, output reg [{sw-1}:0] ns, output reg [{nout-1}:0] y);",
             "  always @* begin", f"    ns = {code(0)}; y = 0;", "    case (s)"]
    for st in range(states):
        lines.append(f"      {code(st)}: begin")
        lines.append(f"        y = {nout}'d{rng.getrandbits(nout)};")
        for t in range(rng.randint(1, 4)):
            lits = rng.sample(range(nin), rng.randint(1, min(3, nin)))
            cond = " && ".join(("" if rng.random() < 0.5 else "!") + f"x[{i}]" for i in lits)
            kw = "if" if t == 0 else "else if"
            mealy = f" y[{rng.randrange(nout)}] = 1'b1;" if rng.random() < 0.3 else ""
            lines.append(f"        {kw} ({cond}) begin ns = {code(rng.randrange(states))};{mealy} end")
        lines.append(f"        else ns = {code(rng.randrange(states))};")
        lines.append("      end")
    lines += ["      default: begin ns = " + code(0) + "; y = 0; end", "    endcase", "  end", "endmodule", ""]
    return "\n".join(lines)


def random_logic(rng, nin, gates, locality):
    """Random gates; one operand of each is drawn from the signals nothing reads yet, so little
    logic dangles; the signals still unread at the end are the outputs."""
    sig = [f"x[{i}]" for i in range(nin)]
    unused = list(sig)
    lines = []
    ops = ["&", "|", "^", "~&", "~|", "~^", "mux", "&~"]

    def pick():
        if rng.random() < locality:
            return sig[rng.randrange(max(0, len(sig) - 3 * nin), len(sig))]
        return sig[rng.randrange(len(sig))]

    for g in range(gates):
        a = unused.pop(rng.randrange(len(unused))) if unused else pick()
        b = pick()
        op = rng.choice(ops)
        if op == "mux":
            c = pick()
            e = f"{c} ? {a} : {b}"
        elif op in ("~&", "~|", "~^"):
            e = f"~({a} {op[1]} {b})"
        elif op == "&~":
            e = f"{a} & ~{b}"
        else:
            e = f"{a} {op} {b}"
        lines.append(f"  wire g{g} = {e};")
        sig.append(f"g{g}")
        unused.append(f"g{g}")
    outs = [u for u in unused if u.startswith("g")] or [f"g{gates - 1}"]
    head = f"module top(input [{nin-1}:0] x, output [{len(outs)-1}:0] y);"
    return "\n".join([head] + lines + ["  assign y = {" + ", ".join(outs) + "};"]) + "\nendmodule\n"


# ---- other arithmetic ---------------------------------------------------------------------

def absdiff(w):
    return f"module top(input [{w-1}:0] a, input [{w-1}:0] b, output [{w-1}:0] y);\n  assign y = a > b ? a - b : b - a;\nendmodule\n"


def incdec(w):
    return f"module top(input [{w-1}:0] a, input up, input en, output [{w-1}:0] y);\n  assign y = en ? (up ? a + 1 : a - 1) : a;\nendmodule\n"


def gray(w, to_gray):
    if to_gray:
        return f"module top(input [{w-1}:0] a, output [{w-1}:0] y);\n  assign y = a ^ (a >> 1);\nendmodule\n"
    lines = [f"module top(input [{w-1}:0] a, output [{w-1}:0] y);", f"  assign y[{w-1}] = a[{w-1}];"]
    for i in range(w - 2, -1, -1):
        lines.append(f"  assign y[{i}] = y[{i+1}] ^ a[{i}];")
    return "\n".join(lines) + "\nendmodule\n"


def hamming(k, decode):
    """Hamming SEC code over k data bits: encoder (check bits) or syndrome decoder with correction."""
    r = 0
    while (1 << r) < k + r + 1:
        r += 1
    n = k + r
    pos = [p for p in range(1, n + 1) if p & (p - 1)]  # data positions
    if not decode:
        lines = [f"module top(input [{k-1}:0] d, output [{r-1}:0] c);"]
        for j in range(r):
            terms = [f"d[{i}]" for i, p in enumerate(pos) if (p >> j) & 1]
            lines.append(f"  assign c[{j}] = {' ^ '.join(terms)};")
        return "\n".join(lines) + "\nendmodule\n"
    lines = [f"module top(input [{k-1}:0] d, input [{r-1}:0] c, output [{k-1}:0] q, output err);", f"  wire [{r-1}:0] sy;"]
    for j in range(r):
        terms = [f"d[{i}]" for i, p in enumerate(pos) if (p >> j) & 1] + [f"c[{j}]"]
        lines.append(f"  assign sy[{j}] = {' ^ '.join(terms)};")
    for i, p in enumerate(pos):
        lines.append(f"  assign q[{i}] = d[{i}] ^ (sy == {r}'d{p});")
    lines.append("  assign err = |sy;")
    return "\n".join(lines) + "\nendmodule\n"


def square(w):
    return f"module top(input [{w-1}:0] a, output [{2*w-1}:0] y);\n  assign y = a * a;\nendmodule\n"


def satadd(w):
    return (f"module top(input signed [{w-1}:0] a, input signed [{w-1}:0] b, output [{w-1}:0] y);\n"
            f"  wire signed [{w}:0] s = a + b;\n"
            f"  assign y = (s > $signed({w+1}'d{(1<<(w-1))-1})) ? {w}'d{(1<<(w-1))-1} : (s < -$signed({w+1}'d{1<<(w-1)})) ? {w}'d{1<<(w-1)} : s[{w-1}:0];\nendmodule\n")
