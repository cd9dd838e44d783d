#!/usr/bin/env bash
# Regenerates qor's own designs in designs/: arithmetic circuits from ABC's `gen` and the
# hand-written Verilog of designs/rtl through yosys. Deterministic: ABC's date stamps are removed.
#
# `gen` followed by `strash` gives AIGs that the seven transformations barely change, so each is
# first passed through `if -K 6; sop; strash`, which leaves an unoptimised AIG that responds to flows.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v berkeley-abc >/dev/null || { echo "make-designs: berkeley-abc is missing (scripts/setup.sh installs it)" >&2; exit 69; }
command -v yosys >/dev/null || { echo "make-designs: yosys is missing (scripts/setup.sh installs it)" >&2; exit 69; }

out=designs/gen
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

undate() { sed -i -E 's/ (written|generated) by ABC on [^\n]*$/ \1 by ABC/' "$1"; }
undate_binary() { python3 -c 'import re,sys; p=sys.argv[1]; d=open(p,"rb").read(); open(p,"wb").write(re.sub(rb"/tmp/[^/\n]*/", b"", re.sub(rb"written by ABC on [^\n]*", b"written by ABC", d)))' "$1"; }
unoptimise="strash; if -K 6; sop; strash"

# name, gen arguments
while read -r name args; do
    berkeley-abc -q "gen $args $work/$name.blif; read $work/$name.blif; $unoptimise; write_aiger -s $out/$name.aig" >/dev/null
    undate_binary "$out/$name.aig"
done <<'LIST'
adder_8 -a -N 8
adder_16 -a -N 16
adder_32 -a -N 32
adder_64 -a -N 64
mult_4 -m -N 4
mult_6 -m -N 6
mult_8 -m -N 8
mult_10 -m -N 10
booth_8 -b -N 8
sorter_8 -s -N 8
sorter_16 -s -N 16
sorter_32 -s -N 32
LIST

# Adder trees: gen writes them as RTL Verilog, which yosys turns into an AIG.
for spec in "4 4" "8 4" "8 8" "16 6"; do
    set -- $spec
    name="addtree_${1}x${2}"
    berkeley-abc -q "gen -t -A $1 -N $2 $work/$name.v" >/dev/null
    top=$(sed -n 's/^module \([A-Za-z0-9_]*\).*/\1/p' "$work/$name.v" | head -1)
    yosys -q -p "read_verilog $work/$name.v; synth -flatten -top $top; aigmap; write_aiger -zinit $work/$name.yosys.aig"
    berkeley-abc -q "read $work/$name.yosys.aig; $unoptimise; write_aiger -s $out/$name.aig" >/dev/null
    undate_binary "$out/$name.aig"
done

# The same small circuits in the text formats, for the readers' tests on a fresh clone.
for name in adder_8 mult_4 sorter_8; do
    berkeley-abc -q "read $out/$name.aig; write_bench $out/$name.bench; write_blif $out/$name.blif; write_verilog $out/$name.v" >/dev/null
    for ext in bench blif v; do undate "$out/$name.$ext"; done
done

# Hand-written RTL through yosys (the command of DESIGN.md).
for src in designs/rtl/*.v; do
    name=$(basename "$src" .v)
    yosys -q -p "read_verilog $src; synth -flatten -top $name; async2sync; dffunmap; aigmap; write_aiger -zinit designs/rtl/$name.aig"
done
echo "make-designs: $(ls "$out" designs/rtl | grep -c .) files in $out and designs/rtl" >&2
