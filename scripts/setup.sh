#!/usr/bin/env bash
# Installs what qor needs when it is missing, then builds it (release unless QOR_BUILD=debug).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v berkeley-abc >/dev/null || need+=(berkeley-abc)
command -v yosys >/dev/null || need+=(yosys)
for pkg in libopenblas-dev libdnnl-dev libsqlite3-dev libxml2-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6.x)" >&2; exit 69; }
swift build -c "${QOR_BUILD:-release}" --product qor >&2
