#!/usr/bin/env bash
# Same set-up as scripts/run.sh, plus the test tools; builds everything and runs every test (ctest).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_packages build test
ensure_npm_set build
ensure_npm_set test
build_leash ON
cd "$LEASH_BUILD"
ctest --output-on-failure -j "$(nproc)"
