#!/usr/bin/env bash
# Prints the design files of the seed dataset, one a line (run from the repository root; needs
# ../shared). make-seed.sh labels those up to 20k ANDs; make-default.sh imports them.
set -euo pipefail
shared=../shared
[ -d "$shared/designs" ] || { echo "seed-designs: $shared/designs is missing" >&2; exit 66; }
printf '%s\n' designs/gen/*.aig designs/rtl/*.aig \
    "$shared"/designs/epfl/arithmetic/*.aig "$shared"/designs/epfl/random_control/*.aig \
    "$shared"/designs/iscas85/aig/*.aig "$shared"/designs/openabcd/bench/*.bench
