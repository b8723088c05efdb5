#!/usr/bin/env bash
# Benchmark: leash on C++ translation units (leash's own sources, from its compile_commands.json),
# next to clang++ -fsyntax-only with the same flags (the floor a naive tool cannot beat) and
# clang-tidy running one simple check, on the same units; one job each, then leash on all cores.
# Usage: bench/cpp.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
ensure_packages build bench
ensure_npm_set build
build_leash --target leash
cd "$LEASH_ROOT"
folders=(core checks frontend report cli)
syntax=$LEASH_BUILD/bench/cpp-syntax-only.sh
mkdir -p "$LEASH_BUILD/bench"
units=$(python3 bench/cpp_commands.py "$LEASH_BUILD/compile_commands.json" "$syntax" "${folders[@]}")
files=$(find "${folders[@]}" -name '*.cpp' | wc -l)
bytes=$(find "${folders[@]}" -name '*.cpp' -printf '%s\n' | awk '{s += $1} END {print s}')
sources=$(find "${folders[@]}" -name '*.cpp' | sort | tr '\n' ' ')
json=$LEASH_BUILD/bench/cpp.json
rules=missing-socket-timeout,missing-command-timeout,grow-only-container
hyperfine --runs 1 --export-json "$json" \
  -n "clang++ -fsyntax-only (1 job)" "bash $syntax" \
  -n "leash --jobs 1" "$LEASH_BUILD/leash check ${folders[*]} -p $LEASH_BUILD --select $rules --exit-zero -q --jobs 1" \
  -n "leash (all cores)" "$LEASH_BUILD/leash check ${folders[*]} -p $LEASH_BUILD --select $rules --exit-zero -q" \
  -n "clang-tidy (one check, 1 job)" "clang-tidy-16 -p $LEASH_BUILD --quiet -checks=-*,bugprone-use-after-move $sources > /dev/null 2>&1 || true" >&2
echo "$units translation units"
python3 "$LEASH_ROOT/bench/table.py" "$files" "$bytes" 0,1 "$json"
