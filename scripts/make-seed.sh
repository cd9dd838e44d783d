#!/usr/bin/env bash
# Regenerates the seed dataset: the project's own designs and those of ../shared/designs up to
# 20k ANDs, labelled by ABC with the first 300 OpenABC-D recipes and the default Nangate 45 genlib,
# then exported to db/seed-labels.csv.gz. Resumable: rerun to finish an interrupted run.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${QOR_SEED_DB:-db/seed.sqlite}
mapfile -t designs < <(scripts/seed-designs.sh)
[ "${#designs[@]}" -gt 0 ] || exit 66
flows=$(mktemp)
trap 'rm -f "$flows"' EXIT
head -n "${QOR_SEED_FLOWS:-300}" ../shared/flows/openabcd-recipes-1500.txt > "$flows"
qor=${QOR:-.build/release/qor}
"$qor" label --db "$db" --max-ands "${QOR_SEED_MAX_ANDS:-20000}" --flows "$flows" --jobs "${JOBS:-2}" --timeout 300 \
    --designs "${designs[@]}"
"$qor" db export --db "$db" --csv db/seed-labels.csv
gzip -9nf db/seed-labels.csv
