#!/usr/bin/env bash
# Measures how qor does on designs it never saw (issue 12), in two ways:
#  1. families: whole corpus families held out (QOR_TEST_FAMILIES: every multiplier, voter and
#     majority circuit, and every cone of des3_area); a model trained on the rest of the corpus plus
#     the seed designs (--split none), its intervals fitted on other held-out families
#     (QOR_CALIBRATION_FAMILIES), scored on the test families with `qor report --test-db`;
#  2. seed: a model trained on the corpus alone (but the calibration families), scored on the 65
#     seed designs.
# Each report shows the anchored model, the model alone and the anchor alone side by side, the
# intervals' empirical coverage, and how many designs the model alone missed by more than 50%
# without the out-of-distribution flag.
# Needs corpus/ (scripts/make-corpus.sh) and db/corpus.sqlite (scripts/label-corpus.sh); first
# labels the test and calibration families' designs with the first QOR_TEST_FLOWS (50) recipes (resumable).
# Training designs are capped at QOR_TRAIN_MAX_ANDS (4000) ANDs: training holds every design's
# graph in memory (the whole corpus needed more than 21 GB).
# Writes reports/unseen/{families,seed}/ (families/analysis.md: scripts/analyse-unseen.py on the
# families run); its databases and models go to db/unseen/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
qor=${QOR:-.build/release/qor}
[ -x "$qor" ] || { echo "eval-unseen: $qor is missing (swift build -c release)" >&2; exit 69; }
corpus=${QOR_CORPUS_DIR:-corpus}
corpus_db=${QOR_CORPUS_DB:-db/corpus.sqlite}
work=${QOR_UNSEEN_WORK:-db/unseen}
out=${QOR_UNSEEN_OUT:-reports/unseen}
test_families=${QOR_TEST_FAMILIES:-"mult voter majority cone_oabcd_des3_area"}
calibration_families=${QOR_CALIBRATION_FAMILIES:-"crc adder cone_iscas_c1908"}
recipes=${QOR_CORPUS_RECIPES:-../shared/flows/openabcd-recipes-1500.txt}
epochs=${QOR_EPOCHS:-20}
# Anchor labels per unseen design (from 5 on, its flows are ordered like the training designs that
# respond most alike: at most as many as the model names, here the corpus recipes on every design).
anchors=${QOR_ANCHORS:-1}
for f in "$corpus/MANIFEST.tsv" "$corpus_db" "$recipes"; do
    [ -e "$f" ] || { echo "eval-unseen: $f is missing (scripts/make-corpus.sh, scripts/label-corpus.sh)" >&2; exit 66; }
done
mkdir -p "$work" "$out"

mapfile -t seed < <(scripts/seed-designs.sh)
rm -f "$work/seed.sqlite"*
"$qor" import designs --db "$work/seed.sqlite" --quiet "${seed[@]}"
"$qor" import csv --db "$work/seed.sqlite" --quiet db/seed-labels.csv.gz

# Design files by role: test families, calibration families, the rest (training). Corpus designs
# equal in structure to a seed design (the corpus regenerates designs/gen) are the seed's: left out.
python3 - "$corpus" "$work" "$test_families" "$calibration_families" "$corpus_db" "$work/seed.sqlite" "${QOR_TRAIN_MAX_ANDS:-4000}" <<'EOF'
import os, sqlite3, sys
corpus, work, test, calib = sys.argv[1], sys.argv[2], set(sys.argv[3].split()), set(sys.argv[4].split())
max_ands = int(sys.argv[7])
seed_hashes = {h for (h,) in sqlite3.connect(sys.argv[6]).execute("select hash from design")}
as_seed = {n for n, h in sqlite3.connect(sys.argv[5]).execute("select name, hash from design") if h in seed_hashes}
print(f"eval-unseen: {len(as_seed)} corpus designs are seed designs: {' '.join(sorted(as_seed))}", file=sys.stderr)
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(corpus, "MANIFEST.tsv"))][1:]
rows = [r for r in rows if r[0] not in as_seed]
families = {r[1] for r in rows}
for f in sorted((test | calib) - families):
    sys.exit(f"eval-unseen: no family {f} in {corpus}/MANIFEST.tsv")
roles = {"test": [], "calibration": [], "train": []}
too_large = 0
for name, family, _, _, ands in rows:
    role = "test" if family in test else "calibration" if family in calib else "train"
    # Training holds every design in memory with its graph: a cap keeps the run within the machine.
    if role == "train" and int(ands) > max_ands:
        too_large += 1
        continue
    roles[role].append((name, os.path.join(corpus, family, name + ".aig")))
print(f"eval-unseen: {too_large} training designs over {max_ands} ANDs left out", file=sys.stderr)
for role, items in roles.items():
    with open(os.path.join(work, role + ".designs"), "w") as f:
        f.writelines(p + "\n" for _, p in items)
    with open(os.path.join(work, role + ".names"), "w") as f:
        f.writelines(n + "\n" for n, _ in items)
    print(f"eval-unseen: {role}: {len(items)} designs", file=sys.stderr)
EOF

# The test and calibration designs get the flows a ranking needs: the first QOR_TEST_FLOWS recipes
# (resumable). The calibration designs too: with the anchors and few other flows each, the bands
# rested on ~1.4 predictions per design (169 on 124 designs).
head -n "${QOR_TEST_FLOWS:-50}" "$recipes" > "$work/test.flows"
mapfile -t test_designs < <(cat "$work/test.designs" "$work/calibration.designs")
"$qor" label --db "$corpus_db" --flows "$work/test.flows" --jobs "${JOBS:-2}" --timeout 600 --designs "${test_designs[@]}"
"$qor" db export --db "$corpus_db" --csv "$work/corpus-labels.csv"

# One database per role, each with its designs and their labels only.
labels_of() {  # role -> CSV of the labels of that role's designs
    python3 - "$work/corpus-labels.csv" "$work/$1.names" <<'EOF'
import csv, sys
names = {l.strip() for l in open(sys.argv[2]) if l.strip()}
r = csv.reader(open(sys.argv[1], newline=""))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(next(r))
for row in r:
    if row[0] in names:
        w.writerow(row)
EOF
}
make_db() {  # db, roles...: a fresh database with those roles' designs and labels
    local db=$1 role
    shift
    rm -f "$db" "$db-wal" "$db-shm"
    for role in "$@"; do
        mapfile -t files < "$work/$role.designs"
        "$qor" import designs --db "$db" --quiet "${files[@]}"
        labels_of "$role" > "$work/$role.csv"
        "$qor" import csv --db "$db" --quiet "$work/$role.csv"
    done
}
# The model's anchor flows (its first $anchors calibration flows) labelled on the designs of some roles.
label_anchor() {  # model config, roles...
    local config=$1 role
    shift
    python3 -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))["calibrationFlows"][:int(sys.argv[2])]))' "$config" "$anchors" > "$work/anchor.flow"
    for role in "$@"; do
        mapfile -t files < "$work/$role.designs"
        "$qor" label --db "$corpus_db" --flows "$work/anchor.flow" --jobs "${JOBS:-2}" --timeout 600 --quiet --designs "${files[@]}"
    done
    "$qor" db export --db "$corpus_db" --csv "$work/corpus-labels.csv"
}

# 1. Families held out: trained on the rest of the corpus and the seed designs.
make_db "$work/train.sqlite" train
"$qor" import designs --db "$work/train.sqlite" --quiet "${seed[@]}"
"$qor" import csv --db "$work/train.sqlite" --quiet db/seed-labels.csv.gz
"$qor" train --db "$work/train.sqlite" --split none --epochs "$epochs" --patience 5 --out "$work" --name families
label_anchor "$work/families.json" test calibration
make_db "$work/test.sqlite" test
make_db "$work/calibration.sqlite" calibration
"$qor" intervals --model "$work/families.safetensors" --db "$work/calibration.sqlite" --coverage 0.9 --anchor "$anchors"
"$qor" report --db "$work/train.sqlite" --model "$work/families.safetensors" --test-db "$work/test.sqlite" --anchor "$anchors" --out "$out/families"
# The same model on its calibration designs, and the analysis of both (interval variants, flow order).
"$qor" report --db "$work/train.sqlite" --model "$work/families.safetensors" --test-db "$work/calibration.sqlite" --anchor "$anchors" \
    --out "$work/families-calibration"
python3 scripts/analyse-unseen.py "$work" "$corpus" "$recipes" "$work/families.json" "$anchors" \
    "$work/families-calibration/predictions.csv" "$out/families/predictions.csv" "$out/families/analysis.md"

# 2. The seed designs as a test set: a model of the corpus (but the calibration families). Its
# anchor is one of the corpus recipes, which the seed designs have (the first 300 recipes).
make_db "$work/corpus-only.sqlite" train test
"$qor" train --db "$work/corpus-only.sqlite" --split none --epochs "$epochs" --patience 5 --out "$work" --name corpus
label_anchor "$work/corpus.json" calibration
make_db "$work/calibration.sqlite" calibration
"$qor" intervals --model "$work/corpus.safetensors" --db "$work/calibration.sqlite" --coverage 0.9 --anchor "$anchors"
"$qor" report --db "$work/corpus-only.sqlite" --model "$work/corpus.safetensors" --test-db "$work/seed.sqlite" --anchor "$anchors" --out "$out/seed"
