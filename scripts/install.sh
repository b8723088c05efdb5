#!/usr/bin/env bash
# Builds leash (as scripts/run.sh does) and installs it to PREFIX/bin (default /usr/local), e.g. to
# put it on PATH for the pre-commit hook:  scripts/install.sh ~/.local
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prefix=${1:-/usr/local}
ensure_packages build
ensure_npm_set build
build_leash OFF --target leash --target leash_catalog
cmake --install "$LEASH_BUILD" --prefix "$prefix" >&2 || die "install to $prefix failed"
log "installed $prefix/bin/leash"
