#!/usr/bin/env bash
# Fuzzes every reader (AIGER aag/aig, BENCH, Verilog, BLIF) and importer (label CSV, LOSTIN,
# OpenABC-D) with libFuzzer for a bounded time. Not part of the test suite (its seeded short
# counterpart is Tests/StoreTests/FuzzStepTests.swift). Crashing inputs land in .build-fuzz/crashes/; reproduce one with
#   .build-fuzz/fuzz-readers .build-fuzz/crashes/crash-...
# Usage: scripts/fuzz.sh [SECONDS=300] [more libFuzzer flags, e.g. -jobs=2 -workers=2]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
out=.build-fuzz
mkdir -p "$out/corpus" "$out/seeds" "$out/crashes"

echo "fuzz: building $out/fuzz-readers" >&2
# One module: Common, Netlist, Flows and the Store files that need no database (their module imports
# dropped; StoreError is cut out of Store.swift, which needs GRDB).
src="$out/src"
rm -rf "$src" && mkdir -p "$src"
store=(LabelCSV LostinDataset OpenABCDDataset ImportProblem InputFile DatasetFiles DesignNames FlowTexts LabelBatch Records)
for f in Sources/Common/*.swift Sources/Netlist/*.swift Sources/Flows/*.swift "${store[@]/#/Sources/Store/}"; do
    f="${f%.swift}.swift"
    sed -E '/^import (Common|Netlist|Flows|GRDB)$/d' "$f" > "$src/$(basename "$(dirname "$f")")_$(basename "$f")"
done
{ echo "import Foundation"; sed -n '/^public struct StoreError/,/^}/p' Sources/Store/Store.swift; } > "$src/StoreError.swift"
rm -f "$out/fuzz-readers"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name QorFuzz \
    "$src"/*.swift Fuzz/FuzzReaders.swift -o "$out/fuzz-readers" 2>&1 \
    | grep -v "Cannot export local symbol" >&2 || true
[ -x "$out/fuzz-readers" ] || { echo "fuzz: build failed" >&2; exit 70; }

# Seeds: small design files, each prefixed with the byte that selects its extension
# (0 aag, 1 aig, 2 bench, 3 v, 4 blif), and label files (5 CSV, 6 LOSTIN, 7 OpenABC-D; see
# Fuzz/FuzzReaders.swift).
seed() { # seed FILE INDEX
    local name
    name="$out/seeds/$(basename "$1").$2"
    { printf "\\x0$2"; cat "$1"; } > "$name"
}
qor=""
for candidate in .build/debug/qor .build/release/qor; do [ -x "$candidate" ] && qor="$candidate"; done
dirs=(designs)
[ -d ../shared/designs ] && dirs+=(../shared/designs)
while IFS= read -r -d '' f; do
    case "$f" in
        *.aag) seed "$f" 0 ;;
        *.aig)
            seed "$f" 1
            # ASCII AIGER seeds come from the binary ones, where a qor build is at hand.
            if [ -n "$qor" ]; then
                ascii="$out/seeds/$(basename "$f" .aig).aag"
                "$qor" convert "$f" "$ascii" 2>/dev/null && { seed "$ascii" 0; rm -f "$ascii"; }
            fi ;;
        *.bench) seed "$f" 2 ;;
        *.v) seed "$f" 3 ;;
        *.blif) seed "$f" 4 ;;
    esac
done < <(find "${dirs[@]}" -type f -size -16k -print0)
flow="balance; rewrite; refactor; resub -z"
{ printf '\x05'; (gzip -dc db/seed-labels.csv.gz | head -n 20) || true; } > "$out/seeds/labels.csv.5"
printf '\x05design,flow,delay,area,status\nd1,"%s",1.5,2,ok\nac97_ctrl,b,,,failed\n' "$flow" > "$out/seeds/small.csv.5"
printf '\x06b;rw;rf;\nrwz;rfz;resub;resub -z;\n\x1e10.5\n0\n\x1e3.25\n0\n' > "$out/seeds/lostin.6"
printf '\x07sid,area,delay\n0,10,20\n1,11,21\n\x1eread x.bench\nstrash\nwrite_bench a.bench\nbalance\nrewrite -z\nwrite_bench b.bench\n\x1eread x\nwrite_bench a\nrf # c\nwrite_bench b\nrs\nwrite_bench c\n' > "$out/seeds/openabcd.7"
find "$out/seeds" -size +16k -delete
echo "fuzz: $(ls "$out/seeds" | wc -l) seeds, running for $seconds s" >&2

# Leak checks off (per input and at exit): LeakSanitizer reports a 4 KB buffer of Foundation's FileManager.contents(atPath:)
# (an empty file read by the importers); a leak in the toolchain's library is not a reader fault.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" exec "$out/fuzz-readers" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
    -dict=Fuzz/readers.dict -artifact_prefix="$out/crashes/" -print_final_stats=1 "$@" "$out/corpus" "$out/seeds"
