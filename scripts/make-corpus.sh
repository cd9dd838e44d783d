#!/usr/bin/env bash
# Regenerates the design corpus in corpus/ (not committed: this script rebuilds it byte for byte):
# ABC `gen` circuits, Verilog written by scripts/corpus/verilog.py through yosys, and output cones
# of ../shared/designs (skipped with a notice when absent). Seeded (QOR_CORPUS_SEED); the result
# does not depend on JOBS. Prints the count per family and a size histogram.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v berkeley-abc >/dev/null || { echo "make-corpus: berkeley-abc is missing (scripts/setup.sh installs it)" >&2; exit 69; }
command -v yosys >/dev/null || { echo "make-corpus: yosys is missing (scripts/setup.sh installs it)" >&2; exit 69; }
command -v python3 >/dev/null || { echo "make-corpus: python3 is missing" >&2; exit 69; }
exec python3 scripts/corpus/make_corpus.py --out "${QOR_CORPUS_DIR:-corpus}" --shared ../shared \
    --jobs "${JOBS:-2}" --seed "${QOR_CORPUS_SEED:-qor-corpus-1}"
