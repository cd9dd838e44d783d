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
#  - issue15-flows/ and issue15-designs/: issue 15's options (Switch MoE, MoEC, MoEC pruned to one
#    expert, CHEX kappa 0.5, dense and 2:4 DFSS Transformer, a student distilled from the default)
#    beside a dense sequence model, every one trained for the same $I15_EPOCHS epochs (default 3).
# Uses the seed database as make-default.sh does (built from db/seed-labels.csv.gz when missing).
# Models go to $QOR_MODELS (default a temporary directory), never into the checkout; a model whose
# file is there is not retrained. Time on the shared 2-core machine (load ~10, 2026-12-01): the
# issue-14 part ~18 min (SGC 2.6 min, SIGN 7.7 min, supernode 5 + 1 min, profiles ~1 min), each
# issue-15 model ~5 min (~40 + 35 min for the two splits): ~95 min run one after the other.
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

# Issue 15's table (mixture of experts, pruning, N:M attention, distillation), flows split seed 1,
# every model with the same budget of $I15_EPOCHS epochs (no early stop); the pruned MoEC fine-tunes
# the MoEC model for as many epochs again. Written to reports/efficiency/issue15/.
e=${I15_EPOCHS:-3}
same=(--db "$db" --model sequence --split flows --seed 1 --epochs "$e" --patience 1000 --out "$models")
train15() { local name=$1; shift; [ -f "$models/$name.safetensors" ] || "$qor" train "${same[@]}" --name "$name" "$@"; }
train15 i15-dense
train15 i15-switch --moe head --experts 4
train15 i15-moec --moe head --experts 4 --clusters 2
train15 i15-moec-pruned --from "$models/i15-moec.safetensors" --prune-experts
train15 i15-chex --chex 0.5
train15 i15-transformer --flow-encoder transformer
train15 i15-dfss --flow-encoder transformer --sparse-attention 2:4
train15 i15-distilled --distill-from db/default.safetensors
"$qor" profile --db "$db" --model "$models/i15-dense.safetensors" \
    $(for m in switch moec moec-pruned chex transformer dfss distilled; do echo --child "$models/i15-$m.safetensors"; done) \
    --out reports/efficiency/issue15-flows

# The same options with designs held out (a seeded fifth, fold 1 of reports/designs-fold1), same
# budget; no distilled student here: its teacher (the default) was trained on every design.
same=(--db "$db" --model sequence --split designs --seed 1 --epochs "$e" --patience 1000 --out "$models")
train15 i15d-dense
train15 i15d-moec --moe head --experts 4 --clusters 2
train15 i15d-moec-pruned --from "$models/i15d-moec.safetensors" --prune-experts
train15 i15d-switch --moe head --experts 4
train15 i15d-chex --chex 0.5
train15 i15d-transformer --flow-encoder transformer
train15 i15d-dfss --flow-encoder transformer --sparse-attention 2:4
train15 i15d-sgc --simplify sgc --hops 2
"$qor" profile --db "$db" --model "$models/i15d-dense.safetensors" \
    $(for m in switch moec moec-pruned chex transformer dfss sgc; do echo --child "$models/i15d-$m.safetensors"; done) \
    --out reports/efficiency/issue15-designs
