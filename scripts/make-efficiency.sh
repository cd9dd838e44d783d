#!/usr/bin/env bash
# Regenerates reports/efficiency/ (issue 14's efficiency table, COMPRESSION.md §4) with `qor profile`:
#  - efficiency.md/.json: the default model (db/default.*, trained by scripts/make-default.sh on the
#    seed dataset, flows split seed 1) and its children on the same test split: int8
#    (`qor compress --int8`), SGC and SIGN (`qor train --simplify`, trained with the default's
#    settings: 20 epochs, patience 5) and the int8 child of the SGC model (its fusion layers are live).
#  - supernode/efficiency.md/.json: graph sampling on the supernode family (a GNN pass per flow:
#    too slow for the whole seed dataset here), on the documented subset of reports/sampling.md
#    (8 designs x the first 100 flows of db/seed-labels.csv.gz): full-graph training against
#    Cluster-GCN sampling, both with the same budget (2 epochs, 64 flows per design per epoch).
#  (Issue 15's options have their own script: scripts/make-issue15.sh.)
# Uses the seed database as make-default.sh does (built from db/seed-labels.csv.gz when missing).
# Models go to $QOR_MODELS (default a temporary directory), never into the checkout; a model whose
# file is there is not retrained. Time on the shared 2-core machine (load ~10, 2026-12-01): the
# whole ~18 min (SGC 2.6 min, SIGN 7.7 min, supernode 5 + 1 min, profiles ~1 min).
set -euo pipefail
cd "$(dirname "$0")/.."
qor=${QOR:-.build/release/qor}
db=${QOR_SEED_DB:-db/seed.sqlite}
models=${QOR_MODELS:-$(mktemp -d)}
memory_design=../shared/designs/epfl/random_control/arbiter.aig
mkdir -p "$models"
mapfile -t designs < <(scripts/seed-designs.sh)
[ "${#designs[@]}" -gt 0 ] || exit 66
if [ ! -f "$db" ]; then
    "$qor" import designs --db "$db" "${designs[@]}"
    "$qor" import csv --db "$db" db/seed-labels.csv.gz
fi

# Sequence family: the default and its children.
"$qor" compress --db "$db" --model db/default.safetensors --int8 --out "$models" --name default-int8
for mode in sgc sign; do
    [ -f "$models/default-$mode.safetensors" ] ||
        "$qor" train --db "$db" --model sequence --split flows --epochs 20 --patience 5 --simplify "$mode" --hops 2 \
            --out "$models" --name "default-$mode"
done
"$qor" compress --db "$db" --model "$models/default-sgc.safetensors" --int8 --out "$models" --name default-sgc-int8
"$qor" profile --db "$db" --model db/default.safetensors --child "$models/default-int8.safetensors" \
    --child "$models/default-sgc.safetensors" --child "$models/default-sgc-int8.safetensors" \
    --child "$models/default-sign.safetensors" --design "$memory_design" --out reports/efficiency

# Supernode family on the subset: full graph against Cluster-GCN sampling, equal budgets.
subset=${QOR_SUBSET_DB:-$models/subset8.sqlite}
if [ ! -f "$subset" ]; then
    zcat db/seed-labels.csv.gz | awk -F, '
        BEGIN { split("wb_dma_orig fir_orig max_orig c6288_orig dalu_orig i2c adder simple_spi_orig", d, " "); for (i in d) keep[d[i]] = 1 }
        NR == 1 { print; next }
        { if (!($2 in rank)) rank[$2] = n++; if (($1 in keep) && rank[$2] < 100) print }' > "$models/subset8.csv"
    "$qor" import designs --db "$subset" "${designs[@]}"
    "$qor" import csv --db "$subset" "$models/subset8.csv"
fi
budget=(--model supernode --split flows --seed 1 --epochs 2 --patience 100)
[ -f "$models/supernode-full.safetensors" ] ||
    "$qor" train --db "$subset" "${budget[@]}" --out "$models" --name supernode-full
[ -f "$models/supernode-cluster.safetensors" ] ||
    "$qor" train --db "$subset" "${budget[@]}" --sampler cluster --parts 16 --parts-per-batch 2 --out "$models" --name supernode-cluster
"$qor" profile --db "$subset" --model "$models/supernode-full.safetensors" --child "$models/supernode-cluster.safetensors" \
    --out reports/efficiency/supernode
