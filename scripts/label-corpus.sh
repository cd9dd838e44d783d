#!/usr/bin/env bash
# Labels the design corpus (scripts/make-corpus.sh writes corpus/) into db/corpus.sqlite with the
# first QOR_CORPUS_FLOWS (50) recipes of ../shared/flows/openabcd-recipes-1500.txt and the default
# Nangate 45 genlib, in rounds of flows, exporting the labels to db/corpus-labels.csv.gz after each.
# Hours of ABC runs: start it in the background. Resumable: rerun to finish an interrupted run
# (finished labels are kept); on a fresh checkout (no db/corpus.sqlite) the committed db/corpus-labels.csv.gz is imported first, so
# labelling continues where the last export left it.
# Arguments, if any, replace corpus/ (design files or folders, e.g. one family).
set -euo pipefail
cd "$(dirname "$0")/.."
db=${QOR_CORPUS_DB:-db/corpus.sqlite}
csv=${QOR_CORPUS_CSV:-db/corpus-labels.csv}
recipes=${QOR_CORPUS_RECIPES:-../shared/flows/openabcd-recipes-1500.txt}
if [ "$#" -gt 0 ]; then designs=("$@"); else designs=("${QOR_CORPUS_DIR:-corpus}"); fi
for d in "${designs[@]}"; do
    [ -e "$d" ] || { echo "label-corpus: $d is missing (scripts/make-corpus.sh makes corpus/)" >&2; exit 66; }
done
[ -f "$recipes" ] || { echo "label-corpus: $recipes is missing" >&2; exit 66; }
if [ -z "${QOR:-}" ]; then
    QOR=.build/release/qor
    [ -x "$QOR" ] || QOR=.build/debug/qor
fi
[ -x "$QOR" ] || { echo "label-corpus: $QOR is missing (swift build -c release)" >&2; exit 69; }
if [ ! -f "$db" ] && [ -f "$csv.gz" ] && [ "$#" -eq 0 ]; then
    "$QOR" import designs --db "$db" --quiet "${designs[@]}"
    "$QOR" import csv --db "$db" --quiet "$csv.gz"
fi
flows=$(mktemp)
trap 'rm -f "$flows"' EXIT
# In rounds of QOR_CORPUS_ROUND (5) flows, each exported when done: a run stopped after hours keeps
# every finished round in the committed CSV, and the labels stay even across designs.
total=${QOR_CORPUS_FLOWS:-50}
round=${QOR_CORPUS_ROUND:-5}
for ((k = round < total ? round : total; ; k = k + round < total ? k + round : total)); do
    head -n "$k" "$recipes" > "$flows"
    echo "label-corpus: the first $k of $total flows" >&2
    "$QOR" label --db "$db" --flows "$flows" --jobs "${JOBS:-2}" --timeout "${QOR_CORPUS_TIMEOUT:-600}" \
        --designs "${designs[@]}"
    "$QOR" db export --db "$db" --csv "$csv"
    gzip -9nf "$csv"
    [ "$k" -lt "$total" ] || break
done
