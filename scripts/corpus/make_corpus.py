"""Writes the qor design corpus (see scripts/make-corpus.sh): ABC `gen` circuits, Verilog written
here and mapped by yosys, and output cones of the designs in ../shared/designs. Every task is
independent and seeded from its own name, so the output does not depend on --jobs or timing.
Generated circuits are made unoptimised (`strash; if -K 6; sop; strash`, as scripts/make-designs.sh
does) because `gen` and yosys output is a near fixed point of the flows; cones keep the structure
of their source design. ABC's comment section (date stamp) is dropped."""

import argparse
import collections
import concurrent.futures as cf
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aiger  # noqa: E402
import verilog as V  # noqa: E402

MIN_ANDS, MAX_ANDS, MAX_CONE_ANDS = 100, 50_000, 20_000
UNOPT = "strash; if -K 6; sop; strash"


class Task:
    def __init__(self, family, name, kind, payload):
        self.family, self.name, self.kind, self.payload = family, name, kind, payload


def run(cmd, cwd):
    # No timeout: a run killed for time would make the corpus depend on the machine's load.
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} exited {p.returncode}: {p.stderr.decode(errors='replace')[-300:]}")
    return p.stdout.decode(errors="replace")


def abc(script, cwd):
    return run(["berkeley-abc", "-q", script], cwd)


def do_gen(task, wd):
    args = task.payload
    if "-t" in args.split():
        abc(f"gen {args} g.v", wd)
        return do_yosys_file("g.v", "addtree", wd)
    abc(f"gen {args} g.blif; read g.blif; {UNOPT}; write_aiger -s out.aig", wd)
    return [(task.family, task.name, open(os.path.join(wd, "out.aig"), "rb").read())]


def do_yosys_file(src, _name, wd):
    top = None
    for line in open(os.path.join(wd, src)):
        if line.startswith("module "):
            top = line.split()[1].split("(")[0]
            break
    run(["yosys", "-q", "-p", f"read_verilog {src}; synth -flatten -top {top}; aigmap; write_aiger -zinit y.aig"], wd)
    abc(f"read y.aig; {UNOPT}; write_aiger -s out.aig", wd)
    return open(os.path.join(wd, "out.aig"), "rb").read()


def do_verilog(task, wd):
    with open(os.path.join(wd, "top.v"), "w") as f:
        f.write(task.payload)
    return [(task.family, task.name, do_yosys_file("top.v", task.name, wd))]


def do_cones(task, wd):
    src, outputs, picks = task.payload
    shutil.copy(src, os.path.join(wd, "src" + os.path.splitext(src)[1]))
    srcname = "src" + os.path.splitext(src)[1]
    script = "; ".join(f"read {srcname}; strash; cone -O {i} -R {n}; strash; write_aiger -s c{k}.aig"
                       for k, (i, n) in enumerate(picks))
    try:
        abc(script, wd)
    except RuntimeError:
        pass  # keep the cones written before a failure
    out = []
    for k, (i, n) in enumerate(picks):
        p = os.path.join(wd, f"c{k}.aig")
        if os.path.exists(p):
            out.append((task.family, f"{task.family}_o{i}_r{n}", open(p, "rb").read()))
    return out


def work(task):
    wd = tempfile.mkdtemp(prefix="qor-corpus-")
    try:
        if task.kind == "gen":
            r = do_gen(task, wd)
            if isinstance(r, bytes):
                r = [(task.family, task.name, r)]
            return task, r, None
        if task.kind == "verilog":
            return task, do_verilog(task, wd), None
        return task, do_cones(task, wd), None
    except Exception as e:  # a failing design is dropped and counted, not fatal
        return task, [], f"{task.name}: {e}"
    finally:
        shutil.rmtree(wd, ignore_errors=True)


# ---- task lists -----------------------------------------------------------------------------

def gen_tasks():
    t = []
    def add(fam, name, args): t.append(Task(fam, f"{fam}_{name}", "gen", args))
    for n in [12, 16, 24, 32, 48, 64, 96, 128, 160, 192, 256, 320, 384, 512, 640, 768, 1024, 1536, 2048, 3000]:
        add("gen_adder", f"n{n}", f"-a -N {n}")
    for n in range(4, 41, 2):
        add("gen_mult", f"n{n}", f"-m -N {n}")
    for n in range(4, 45, 2):
        add("gen_booth", f"n{n}", f"-b -N {n}")
    for n in [6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64]:
        add("gen_sorter", f"n{n}", f"-s -N {n}")
    for n in [4, 5, 6, 7, 8, 9, 10, 11]:  # gen -e -N 12 trips an ABC assertion
        add("gen_mesh", f"n{n}", f"-e -N {n}")
    for n in [8, 9, 10, 11, 12, 13, 14]:
        add("gen_random", f"n{n}", f"-r -N {n}")
    for k, l, n in [(3, 8, 8), (3, 16, 12), (4, 8, 16), (4, 12, 16), (4, 20, 24), (5, 8, 16), (5, 12, 20), (6, 6, 16),
                    (6, 10, 20), (6, 16, 24), (4, 30, 32), (5, 24, 30)]:
        add("gen_lut", f"k{k}_l{l}_n{n}", f"-f -K {k} -L {l} -N {n}")
    for a, n in [(3, 8), (4, 4), (4, 8), (4, 16), (6, 8), (8, 4), (8, 8), (8, 12), (8, 16), (12, 8), (16, 6), (16, 8),
                 (16, 16), (24, 8), (32, 8), (32, 16), (48, 12), (64, 8)]:
        add("gen_addtree", f"a{a}_n{n}", f"-t -A {a} -N {n}")
    return t


def verilog_tasks(seed):
    t = []
    def add(fam, name, text): t.append(Task(fam, f"{fam}_{name}", "verilog", text))
    def rng(name): return random.Random(f"{seed}:{name}")
    for w in [8, 16, 32, 64, 128, 256, 512]:
        add("adder_ripple", f"w{w}", V.adder_ripple(w))
    for w in [16, 32, 64, 128]:
        for b in [2, 4]:
            add("adder_cla", f"w{w}_b{b}", V.adder_cla(w, b))
            add("adder_csel", f"w{w}_b{b * 2}", V.adder_csel(w, b * 2))
    for kind in ["ks", "sk", "bk", "hc"]:
        for w in [8, 16, 32, 64, 128, 256]:
            add(f"adder_{kind}", f"w{w}", V.adder_prefix(kind, w))
    for w, h in [(4, 4), (6, 6), (8, 8), (12, 8), (12, 12), (16, 16), (24, 16), (32, 32)]:
        add("mult_array", f"w{w}x{h}", V.mult_array(w, h))
        add("mult_wallace", f"w{w}x{h}_ripple", V.mult_tree(w, h, "ripple"))
        if w * h <= 300:
            add("mult_wallace", f"w{w}x{h}_plus", V.mult_tree(w, h, "plus"))
            add("mult_yosys", f"w{w}x{h}_u", V.mult_behav(w, h, False))
            add("mult_yosys", f"w{w}x{h}_s", V.mult_behav(w, h, True))
    for w in [4, 8, 12, 16]:
        add("mac", f"w{w}", V.mac(w))
        add("square", f"w{w}", V.square(w))
    for w, d in [(6, 3), (8, 4), (8, 8), (10, 5), (12, 6)]:
        add("divider", f"div_w{w}_d{d}", V.divider(w, d, "div"))
        add("divider", f"mod_w{w}_d{d}", V.divider(w, d, "mod"))
    for w in [16, 64, 256]:
        for k in ["lt", "slt", "eq", "all"]:
            add("comparator", f"{k}_w{w}", V.comparator(w, k))
    for k, w in [(3, 8), (4, 16), (8, 8), (8, 32), (12, 12), (16, 16), (32, 8)]:
        add("maxof", f"k{k}_w{w}", V.maxof(k, w))
    for w in [8, 16, 32, 64]:
        for nops in [4, 8, 16]:
            for s in range(2):
                name = f"w{w}_ops{nops}_s{s}"
                add("alu", name, V.alu(w, rng(f"alu_{name}"), nops))
    for w in [8, 32, 128]:
        for k in ["shl", "shr", "sra", "rol", "ror"]:
            add("shifter", f"{k}_w{w}", V.shifter(w, k))
        add("shifter", f"bidir_w{w}", V.shifter_bidir(w))
    for n in [5, 7, 9, 11]:
        add("decoder", f"n{n}", V.decoder(n))
    for n in [5, 7, 9]:
        add("encoder", f"n{n}", V.encoder(n))
    for w in [16, 64, 256]:
        add("prienc", f"msb_w{w}", V.priority_encoder(w, False))
        add("prienc", f"lsb_w{w}", V.priority_encoder(w, True))
        add("lzc", f"w{w}", V.lzc(w))
    for n, w in [(4, 32), (8, 16), (16, 8), (16, 32), (32, 16), (64, 8), (128, 4), (256, 4)]:
        add("mux", f"bin_n{n}_w{w}", V.mux(n, w, False))
        add("mux", f"onehot_n{n}_w{w}", V.mux(n, w, True))
    for name, width, poly in V.CRC_POLYS:
        for dw in [8, 24, 64]:
            add("crc", f"{name}_d{dw}", V.crc(width, poly, dw))
    for n in [32, 96, 256, 512]:
        for outs in [1, 8]:
            name = f"n{n}_o{outs}"
            add("parity", name, V.parity(n, outs, rng(f"parity_{name}")))
    for n in [16, 64, 256, 1024]:
        add("popcount", f"loop_n{n}", V.popcount(n))
        add("popcount", f"csa_n{n}", V.popcount_csa(n))
    for n in [9, 21, 65, 129, 255, 511]:
        add("majority", f"n{n}", V.majority(n))
    for k, w in [(3, 32), (3, 128), (5, 64), (7, 16), (9, 32), (15, 16)]:
        add("voter", f"k{k}_w{w}", V.voter(k, w))
    for kind in ["bitonic", "oddeven"]:
        for n, w in [(4, 8), (8, 4), (8, 16), (16, 4), (16, 8), (32, 4)]:
            add(f"sortnet_{kind}", f"n{n}_w{w}", V.sorter(kind, n, w))
    for states in [4, 8, 16, 32, 64, 128]:
        for nin in [3, 6, 10]:
            for onehot in [False, True]:
                if onehot and states > 64:
                    continue
                name = f"s{states}_i{nin}_{'oh' if onehot else 'bin'}"
                add("fsm", name, V.fsm(rng(f"fsm_{name}"), states, nin, max(2, nin // 2 + 2), onehot))
    for nin in [8, 32, 128]:
        for gates in [150, 600, 2500, 5000]:
            for loc in [0.3, 0.8]:
                name = f"i{nin}_g{gates}_l{int(loc * 10)}"
                add("randlogic", name, V.random_logic(rng(f"rand_{name}"), nin, gates, loc))
    for w in [8, 32, 128]:
        add("absdiff", f"w{w}", V.absdiff(w))
        add("incdec", f"w{w}", V.incdec(w))
        add("satadd", f"w{w}", V.satadd(w))
    for w in [64, 256, 512]:
        add("gray", f"tobin_w{w}", V.gray(w, False))
    for k in [16, 57, 120, 247]:
        add("hamming", f"enc_k{k}", V.hamming(k, False))
        add("hamming", f"dec_k{k}", V.hamming(k, True))
    return t


def cone_tasks(shared, seed):
    if not shared or not os.path.isdir(os.path.join(shared, "designs")):
        print(f"make-corpus: {shared}/designs is missing: no cones of real designs", file=sys.stderr)
        return []
    d = os.path.join(shared, "designs")
    srcs = []
    for sub, tag in [("epfl/arithmetic", "epfl"), ("epfl/random_control", "epfl"), ("iscas85/aig", "iscas")]:
        p = os.path.join(d, sub)
        if os.path.isdir(p):
            srcs += [(tag, os.path.join(p, f)) for f in sorted(os.listdir(p)) if f.endswith(".aig")]
    p = os.path.join(d, "openabcd/bench")
    if os.path.isdir(p):
        srcs += [("oabcd", os.path.join(p, f)) for f in sorted(os.listdir(p)) if f.endswith(".bench")]
    tasks = []
    for tag, path in srcs:
        base = os.path.splitext(os.path.basename(path))[0].replace("_orig", "")
        fam = f"cone_{tag}_{base}"
        out = abc(f"read {os.path.abspath(path)}; strash; print_stats", None)
        m = re.search(r"i/o =\s*(\d+)/\s*(\d+).*?and =\s*(\d+)", out)
        if not m:
            continue
        nout, ands = int(m.group(2)), int(m.group(3))
        # Sources above 100k ANDs (hyp) cost minutes per batch of cones; the others suffice.
        if ands < 2 * MIN_ANDS or ands > 100_000 or nout < 2:
            continue
        r = random.Random(f"{seed}:cones:{fam}")
        picks = set()
        sizes = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512]
        sizes = [s for s in sizes if s < nout]
        tries = min(80, 8 * len(sizes) + 8)
        for _ in range(tries):
            n = r.choice(sizes)
            i = r.randrange(0, nout - n + 1)
            picks.add((i, n))
        tasks.append(Task(fam, fam, "cones", (os.path.abspath(path), nout, sorted(picks))))
    return tasks


# ---- main -------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default="")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", default="qor-corpus-1")
    ap.add_argument("--max-per-cone-source", type=int, default=32)
    a = ap.parse_args()
    t0 = time.time()
    tasks = gen_tasks() + verilog_tasks(a.seed) + cone_tasks(a.shared, a.seed)
    # Big tasks first so the pool finishes evenly; results are put back in list order.
    order = {id(t): k for k, t in enumerate(tasks)}
    results = {}
    errors = []
    with cf.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        futs = [ex.submit(work, t) for t in sorted(tasks, key=lambda t: t.kind != "cones")]
        for k, f in enumerate(cf.as_completed(futs)):
            task, res, err = f.result()
            results[order[id(task)]] = res
            if err:
                errors.append(err)
            if (k + 1) % 100 == 0:
                print(f"make-corpus: {k + 1}/{len(tasks)} tasks, {time.time() - t0:.0f}s", file=sys.stderr)
    seen = set()
    kept = []
    dropped = collections.Counter()
    per_source = collections.Counter()
    for k in range(len(tasks)):
        for fam, name, data in results.get(k, []):
            try:
                clean, digest, info = aiger.parse(data)
            except aiger.AigerError as e:
                errors.append(f"{name}: {e}")
                continue
            limit = MAX_CONE_ANDS if fam.startswith("cone_") else MAX_ANDS
            if info["ands"] < MIN_ANDS or info["ands"] > limit:
                dropped["size"] += 1
                continue
            if info["nonconst_outputs"] == 0 or info["latches"] != 0:
                dropped["constant or sequential"] += 1
                continue
            if digest in seen:
                dropped["duplicate"] += 1
                continue
            if fam.startswith("cone_"):
                if per_source[fam] >= a.max_per_cone_source:
                    dropped["cone quota"] += 1
                    continue
                per_source[fam] += 1
            seen.add(digest)
            kept.append((fam, name, clean, info))
    # Write into a fresh folder, then swap it in: no half-written corpus.
    tmp = a.out.rstrip("/") + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    manifest = ["name\tfamily\tinputs\toutputs\tands"]
    for fam, name, clean, info in sorted(kept, key=lambda x: (x[0], x[1])):
        os.makedirs(os.path.join(tmp, fam), exist_ok=True)
        with open(os.path.join(tmp, fam, name + ".aig"), "wb") as f:
            f.write(clean)
        manifest.append(f"{name}\t{fam}\t{info['inputs']}\t{info['outputs']}\t{info['ands']}")
    with open(os.path.join(tmp, "MANIFEST.tsv"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    shutil.rmtree(a.out, ignore_errors=True)
    os.rename(tmp, a.out)
    # Summary.
    fams = collections.Counter(k[0] for k in kept)
    groups = collections.Counter()
    for fam, n in fams.items():
        groups["cone (real designs)" if fam.startswith("cone_") else "gen (ABC)" if fam.startswith("gen_") else "verilog (yosys)"] += n
    print(f"make-corpus: {len(kept)} designs in {a.out}/ ({len(fams)} families) in {time.time() - t0:.0f}s")
    for g, n in sorted(groups.items()):
        print(f"  {g:22s} {n:5d}")
    print("  per family: " + ", ".join(f"{f} {n}" for f, n in sorted(fams.items())))
    bins = [(100, 250), (250, 500), (500, 1000), (1000, 2000), (2000, 5000), (5000, 10000), (10000, 20000), (20000, 50001)]
    print("  ANDs histogram:")
    for lo, hi in bins:
        n = sum(1 for k in kept if lo <= k[3]["ands"] < hi)
        print(f"    {lo:>6}-{hi - 1 if hi == 50001 else hi:<6} {n:5d} {'#' * (n // 10)}")
    print(f"  dropped: {dict(sorted(dropped.items()))}, failed: {len(errors)}")
    for e in errors[:20]:
        print(f"    {e.splitlines()[0][:200]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
