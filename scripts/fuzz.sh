#!/usr/bin/env bash
# Fuzzes the design readers (AIGER, BENCH, Verilog, BLIF) with libFuzzer for a bounded time.
# Not part of the test suite. Crashing inputs land in .build-fuzz/crashes/; reproduce one with
#   .build-fuzz/fuzz-readers .build-fuzz/crashes/crash-...
# Usage: scripts/fuzz.sh [SECONDS=300] [more libFuzzer flags, e.g. -jobs=2 -workers=2]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
out=.build-fuzz
mkdir -p "$out/corpus" "$out/seeds" "$out/crashes"

echo "fuzz: building $out/fuzz-readers" >&2
swiftc -sanitize=fuzzer,address -parse-as-library -O \
    Sources/Netlist/*.swift Fuzz/FuzzReaders.swift -o "$out/fuzz-readers" 2>&1 \
    | grep -v "Cannot export local symbol" >&2 || true
[ -x "$out/fuzz-readers" ] || { echo "fuzz: build failed" >&2; exit 70; }

# Seeds: small design files, each prefixed with the byte that selects its extension
# (0 aag, 1 aig, 2 bench, 3 v, 4 blif; see Fuzz/FuzzReaders.swift).
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
find "$out/seeds" -size +16k -delete
echo "fuzz: $(ls "$out/seeds" | wc -l) seeds, running for $seconds s" >&2

exec "$out/fuzz-readers" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
    -dict=Fuzz/readers.dict -artifact_prefix="$out/crashes/" -print_final_stats=1 "$@" "$out/corpus" "$out/seeds"
