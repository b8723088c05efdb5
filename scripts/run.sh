#!/usr/bin/env bash
# Clone to results in one command: installs what is missing, builds build/leash, scans PATH...
# (default: the current directory). Extra leash options may follow the paths, e.g.
#   scripts/run.sh src/ --format sarif --output leash.sarif
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_packages build
ensure_npm_set build
build_leash OFF --target leash --target leash_catalog
exec "$LEASH_BUILD/leash" check "$@"
