#!/usr/bin/env bash
# Sets up (installing what is missing) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
QOR_BUILD=debug scripts/setup.sh
swift test "$@"
