#!/usr/bin/env python3
"""Issue 15's summary table from the `qor profile` reports scripts/make-issue15.sh writes.

Usage: summarise-issue15.py REPORTS_DIR > issue15-summary.md
Reads REPORTS_DIR/issue15-flows/efficiency.json and issue15-designs-fold{1,2,3}/efficiency.json
(one row per option; the first row is the dense model of that split) and prints, per split kind,
each option's accuracy (for the designs split the mean over the folds present) and its change
against the dense model of the same fold, beside its size, cost and speed.
"""
import json
import os
import sys

METRICS = [("delayMAPE", "delay MAPE %", 2), ("areaMAPE", "area MAPE %", 2),
           ("delaySpearman", "delay Spearman", 3), ("areaSpearman", "area Spearman", 3)]


def option(row, root):
    """The option name: the row's model name without its split prefix."""
    return row["name"][len(root) + 1:] if row["name"].startswith(root + "-") else row["name"]


def load(path):
    with open(path) as f:
        rows = json.load(f)["rows"]
    root = rows[0]["name"].rsplit("-", 1)[0]
    return {option(r, root): r for r in rows}


def mean(xs):
    return sum(xs) / len(xs)


def table(title, folds):
    names = list(folds[0].keys())
    out = [f"## {title}", ""]
    if len(folds) > 1:
        out.append(f"Mean over {len(folds)} folds; in brackets the change against the dense model of the same fold.")
    else:
        out.append("In brackets the change against the dense model.")
    out += ["", "| option | params | graph-pass MACs | per-flow MACs | flows/CPU-s | train s/epoch | "
            + " | ".join(m[1] for m in METRICS) + " |",
            "|---|---:|---:|---:|---:|---:|" + "---:|" * len(METRICS)]
    for name in names:
        if not all(name in f for f in folds):
            continue
        rows = [f[name] for f in folds]
        dense = [f["dense"] for f in folds]
        cells = [name, f"{rows[0]['parameters']:,}", f"{rows[0]['cost']['graphPassMACs']:,}",
                 f"{rows[0]['cost']['perFlowMACs']:,}", f"{mean([r['flowsPerCPUSecond'] for r in rows]):,.0f}",
                 f"{mean([r['trainingSecondsPerEpoch'] for r in rows]):.1f}"]
        for key, _, digits in METRICS:
            value = mean([r[key] for r in rows])
            change = mean([r[key] - d[key] for r, d in zip(rows, dense)])
            cells.append(f"{value:.{digits}f}" + ("" if name == "dense" else f" ({change:+.{digits}f})"))
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "Against the issue's goals" + (" (means over the folds, each fold's in brackets):" if len(folds) > 1 else ":"), ""]
    out += goals(folds)
    return out + [""]


def against(folds, name, base):
    """`name`'s mean change against `base` per metric, as text (with each fold's when there are several)."""
    parts = []
    for key, label, digits in METRICS:
        changes = [f[name][key] - f[base][key] for f in folds]
        each = "" if len(changes) == 1 else " [" + " / ".join(f"{c:+.{digits}f}" for c in changes) + "]"
        parts.append(f"{label} {mean(changes):+.{digits}f}{each}")
    return ", ".join(parts)


def goals(folds):
    have = lambda *names: all(all(n in f for n in names) for f in folds)
    out = []
    if have("dense", "moec", "switch"):
        out.append(f"- MoEC against dense: {against(folds, 'moec', 'dense')} (Switch: {against(folds, 'switch', 'dense')}).")
    if have("dense", "moec", "moec-pruned"):
        kept = []
        for key, label, digits in METRICS:
            gain = mean([f["moec"][key] - f["dense"][key] for f in folds])
            pruned = mean([f["moec-pruned"][key] - f["dense"][key] for f in folds])
            # A gain under 0.05 MAPE points or 0.005 Spearman is within the noise of retraining.
            better = gain < -0.05 if "MAPE" in key else gain > 0.005
            kept.append(f"{label} {100 * pruned / gain:.0f}%" if better else f"{label} n/a (MoEC gains nothing)")
        out.append(f"- MoEC pruned to one expert against MoEC: {against(folds, 'moec-pruned', 'moec')}; share of MoEC's gain kept: "
                   + ", ".join(kept) + ".")
    if have("dense", "chex"):
        d, c = folds[0]["dense"]["cost"], folds[0]["chex"]["cost"]
        per300 = lambda x: x["graphPassMACs"] + 300 * x["perFlowMACs"]
        out.append(f"- CHEX at kappa 0.5 against dense: graph-pass MACs x{c['graphPassMACs'] / d['graphPassMACs']:.2f}, per-flow MACs "
                   f"x{c['perFlowMACs'] / d['perFlowMACs']:.2f}, a design with 300 flows x{per300(c) / per300(d):.2f} (counted on the first table's model); "
                   + against(folds, "chex", "dense") + ".")
    if have("transformer", "dfss"):
        out.append(f"- 2:4 DFSS attention against the dense Transformer: {against(folds, 'dfss', 'transformer')}.")
    for student in ("distilled", "distilled-mv2d"):
        if have("supernode", student):
            speed = mean([f[student]["flowsPerCPUSecond"] / f["supernode"]["flowsPerCPUSecond"] for f in folds])
            out.append(f"- {student} student against its supernode teacher: {against(folds, student, 'supernode')}; "
                       f"{speed:.1f}x the teacher's flows per CPU-second; against dense: {against(folds, student, 'dense')}.")
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: summarise-issue15.py REPORTS_DIR")
    base = sys.argv[1]
    lines = ["# Issue 15: compression options against a dense sequence model (summary)", "",
             "From the `qor profile` tables beside this file (scripts/make-issue15.sh; every model trained for "
             "the same number of epochs on the seed dataset). Accuracy is the pure model's (no anchor) on the "
             "split's test designs; Spearman is within each design. MoE rows route each flow to one expert "
             "(top-1): their active parameters are the dense model's plus the router's. Training seconds per epoch "
             "are wall time on a shared 2-core machine, flows per CPU-second the profile's second pass on the "
             "test designs (graphs cached).", ""]
    designs = [os.path.join(base, f"issue15-designs-fold{k}", "efficiency.json") for k in (1, 2, 3)]
    designs = [load(p) for p in designs if os.path.exists(p)]
    if designs:
        lines += table("Designs split (a seeded fifth of the designs held out)", designs)
    flows = os.path.join(base, "issue15-flows", "efficiency.json")
    if os.path.exists(flows):
        lines += table("Flows split (held-out flows of the training designs)", [load(flows)])
    print("\n".join(lines))


if __name__ == "__main__":
    main()
