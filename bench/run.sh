#!/usr/bin/env bash
# Regenerates every measured table of docs/PERFORMANCE.md in one run: installs what the benchmarks
# need (the peers pinned in scripts/deps.txt and bench's npm set), runs bench/yaml.sh,
# bench/python.sh, bench/cpp.sh (and drogon's units when a checkout is given) and bench/cache.sh
# one after the other, and writes each one's output between its markers in docs/PERFORMANCE.md
# (`<!-- bench:NAME -->` ... `<!-- /bench:NAME -->`), with the date and commit it came from.
# Usage: bench/run.sh [--drogon ROOT BUILD]   ROOT: a drogon checkout, BUILD: its build folder
#                                            holding compile_commands.json
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../scripts/lib.sh"
drogon=()
if (($# == 3)) && [ "$1" = --drogon ]; then
  drogon=("$2" "$3")
elif (($# != 0)); then
  echo "usage: bench/run.sh [--drogon ROOT BUILD]" >&2
  exit 2
fi
out=$LEASH_BUILD/bench/run
rm -rf "$out" && mkdir -p "$out"
section() { # NAME COMMAND...: the command's standard output becomes the section
  local name=$1
  shift
  log "benchmark: $name"
  "$@" >"$out/$name.md"
}
section yaml bash "$here/yaml.sh" 5000
section python bash "$here/python.sh"
section cpp bash "$here/cpp.sh"
section pch python3 "$here/cpp_pch.py" "$LEASH_BUILD/compile_commands.json" "$LEASH_BUILD/bench/pch" \
  "$LEASH_ROOT"/{core,checks,frontend,report,cli}
if ((${#drogon[@]})); then
  section drogon bash "$here/cpp.sh" "${drogon[0]}" "${drogon[1]}" lib/src orm_lib/src
fi
section cache bash "$here/cache.sh"
stamp="$(date -u +%Y-%m-%d), $(git -C "$LEASH_ROOT" rev-parse --short HEAD)$(
  git -C "$LEASH_ROOT" diff --quiet HEAD -- . ':!docs/PERFORMANCE.md' || echo ' with changes')"
python3 "$here/write_tables.py" "$LEASH_ROOT/docs/PERFORMANCE.md" "$out" "$stamp"
log "docs/PERFORMANCE.md: tables rewritten ($stamp)"
