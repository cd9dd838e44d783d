#!/usr/bin/env bash
# Regenerates reports/efficiency/issue15-*: issue 15's compression options beside a dense sequence
# model on the seed dataset, flows split (seed 1) and designs split (seeds 1, 2, 3: a seeded fifth
# of the designs held out, as reports/designs-fold*), every model with the same budget of
# $I15_EPOCHS epochs (default 15, no early stop):
#   dense, Switch MoE (head, 4 experts), MoEC (4 experts, 2 clusters), MoEC pruned to one expert
#   (fine-tuned from the MoEC model for as many epochs again), CHEX at kappa 0.5, dense and 2:4 DFSS
#   Transformer flow encoders, the supernode model (a GNN pass per flow) as teacher, and sequence
#   students distilled from it (plain and MV2D).
# Writes reports/efficiency/issue15-{flows,designs-fold1,2,3}/ with `qor profile`, then
# issue15-summary.md (scripts/summarise-issue15.py). Uses the seed database as make-default.sh does.
# Models go to $QOR_MODELS (default a temporary directory); a model whose file is there is not
# retrained, so an interrupted run resumes. Time on the shared 2-core machine: ~20 min per split.
set -euo pipefail
cd "$(dirname "$0")/.."
qor=${QOR:-.build/release/qor}
db=${QOR_SEED_DB:-db/seed.sqlite}
models=${QOR_MODELS:-$(mktemp -d)}
e=${I15_EPOCHS:-15}
mkdir -p "$models"
if [ ! -f "$db" ]; then
    mapfile -t designs < <(scripts/seed-designs.sh)
    [ "${#designs[@]}" -gt 0 ] || exit 66
    "$qor" import designs --db "$db" "${designs[@]}"
    "$qor" import csv --db "$db" db/seed-labels.csv.gz
fi

children=(switch moec moec-pruned chex transformer dfss supernode distilled distilled-mv2d)
one_split() {
    local tag=$1 split=$2 seed=$3
    local p="$models/$tag"
    train() {
        local name=$1; shift
        [ -f "$p-$name.safetensors" ] || "$qor" train --db "$db" --split "$split" --seed "$seed" --epochs "$e" \
            --patience 1000 --out "$models" --name "$tag-$name" --quiet "$@"
    }
    train dense --model sequence
    train switch --model sequence --moe head --experts 4
    train moec --model sequence --moe head --experts 4 --clusters 2
    train moec-pruned --model sequence --from "$p-moec.safetensors" --prune-experts
    train chex --model sequence --chex 0.5
    train transformer --model sequence --flow-encoder transformer
    train dfss --model sequence --flow-encoder transformer --sparse-attention 2:4
    train supernode --model supernode
    train distilled --model sequence --distill-from "$p-supernode.safetensors"
    train distilled-mv2d --model sequence --distill-from "$p-supernode.safetensors" --distill mv2d
    "$qor" profile --db "$db" --model "$p-dense.safetensors" \
        $(for m in "${children[@]}"; do echo --child "$p-$m.safetensors"; done) \
        --out "reports/efficiency/issue15-$tag"
}
one_split designs-fold1 designs 1
one_split flows flows 1
one_split designs-fold2 designs 2
one_split designs-fold3 designs 3
python3 scripts/summarise-issue15.py reports/efficiency > reports/efficiency/issue15-summary.md.tmp
mv reports/efficiency/issue15-summary.md.tmp reports/efficiency/issue15-summary.md
