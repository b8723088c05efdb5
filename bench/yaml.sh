#!/usr/bin/env bash
# Benchmark: leash on >= 5,000 compose files and Kubernetes manifests, next to yamllint on the same
# files (hyperfine, one run of each command set). Prints files/s, MB/s and ratios for
# docs/PERFORMANCE.md. Usage: bench/yaml.sh [COUNT]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
ensure_packages build bench
ensure_npm_set build
build_leash OFF --target leash
count=${1:-5000}
corpus=$LEASH_BUILD/bench/yaml-corpus
rm -rf "$corpus"
python3 "$LEASH_ROOT/bench/gen_yaml_corpus.py" "$corpus" "$count" "$LEASH_ROOT/../shared/corpus" >&2
files=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
result=$LEASH_BUILD/bench/yaml.json
cd "$corpus"
# yamllint with its default rules, and with none (parse only): it reads every file as we do.
printf 'rules: {}\n' >"$LEASH_BUILD/bench/yamllint-parse-only.yaml"
hyperfine --warmup 1 --runs 5 --export-json "$result" -N \
  -n "leash --jobs 1" "$LEASH_BUILD/leash check . --no-cache --exit-zero --quiet --jobs 1" \
  -n "leash (all cores)" "$LEASH_BUILD/leash check . --no-cache --exit-zero --quiet" >&2
hyperfine --runs 1 --export-json "$result.peers" \
  -n "yamllint" "yamllint -f parsable . > /dev/null || true" \
  -n "yamllint (parse only)" "yamllint -c $LEASH_BUILD/bench/yamllint-parse-only.yaml -f parsable . > /dev/null || true" >&2
python3 "$LEASH_ROOT/bench/table.py" "$files" "$bytes" 0 "$result" "$result.peers"
