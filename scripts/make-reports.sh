#!/usr/bin/env bash
# Regenerates reports/: `qor report` on the default model with flows held out (reports/flows), and
# on three models trained with a seeded fifth of the seed designs held out: reports/designs-foldS
# without the anchor (--no-anchor), reports/designs-foldS-calibrated anchored on 20 labels
# (--anchor 20: the level, and the flow ordering of the training designs that respond most alike).
# Uses the seed database as scripts/make-default.sh does (built from db/seed-labels.csv.gz when
# missing). The three fold models take 30 epochs each: about an hour on two idle cores. Models go
# to $QOR_MODELS (default a temporary directory), never into the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
qor=${QOR:-.build/release/qor}
db=${QOR_SEED_DB:-db/seed.sqlite}
models=${QOR_MODELS:-$(mktemp -d)}
if [ ! -f "$db" ]; then
    mapfile -t designs < <(scripts/seed-designs.sh)
    [ "${#designs[@]}" -gt 0 ] || exit 66
    "$qor" import designs --db "$db" "${designs[@]}"
    "$qor" import csv --db "$db" db/seed-labels.csv.gz
fi
"$qor" report --db "$db" --model db/default.safetensors --split flows --out reports/flows
for seed in 1 2 3; do
    "$qor" train --db "$db" --model sequence --split designs --seed "$seed" --epochs 30 --patience 6 \
        --out "$models" --name "designs-fold$seed"
    "$qor" report --db "$db" --model "$models/designs-fold$seed.safetensors" --split designs --no-anchor --out "reports/designs-fold$seed"
    "$qor" report --db "$db" --model "$models/designs-fold$seed.safetensors" --split designs --anchor 20 \
        --out "reports/designs-fold$seed-calibrated"
done
