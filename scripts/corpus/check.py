"""Checks a generated corpus: every .aig is read by `qor stats` and by ABC (`read; print_stats`),
both agree with MANIFEST.tsv on the AND count, 100 <= ANDs <= 50,000 and there is an output.
Usage: python3 scripts/corpus/check.py corpus .build/debug/qor"""

import json
import os
import re
import subprocess
import sys


def main():
    root, qor = sys.argv[1], sys.argv[2]
    rows = [l.split("\t") for l in open(os.path.join(root, "MANIFEST.tsv")).read().splitlines()[1:]]
    files = [os.path.join(root, r[1], r[0] + ".aig") for r in rows]
    want = {f: int(r[4]) for f, r in zip(files, rows)}
    bad = []
    out = subprocess.run([qor, "stats", "--json"] + files, stdout=subprocess.PIPE, check=True).stdout.decode()
    seen = 0
    for line in out.splitlines():
        o = json.loads(line)
        seen += 1
        if o["ands"] != want[o["file"]] or not (100 <= o["ands"] <= 50000) or o["outputs"] < 1:
            bad.append(f"qor: {o}")
    if seen != len(files):
        bad.append(f"qor read {seen} of {len(files)}")
    abc_ands = []
    for k in range(0, len(files), 200):
        chunk = files[k:k + 200]
        script = "; ".join(f"read {f}; print_stats" for f in chunk)
        text = subprocess.run(["berkeley-abc", "-q", script], stdout=subprocess.PIPE, check=True).stdout.decode()
        abc_ands += [int(x) for x in re.findall(r"and =\s*(\d+)", text)]
    if len(abc_ands) != len(files):
        bad.append(f"abc read {len(abc_ands)} of {len(files)}")
    for f, a in zip(files, abc_ands):
        if a != want[f]:
            bad.append(f"abc: {f} has {a} ANDs, manifest {want[f]}")
    print(f"check: {len(files)} designs, qor read {seen}, abc read {len(abc_ands)}, {len(bad)} problems")
    for b in bad[:20]:
        print("  " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
