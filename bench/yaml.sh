#!/usr/bin/env bash
# Benchmark: leash on >= 5,000 compose files and Kubernetes manifests, next to the bare yaml-cpp
# parse (the floor) and yamllint on the same files (hyperfine, one run of each command set). Prints files/s, MB/s and ratios for
# docs/PERFORMANCE.md. Usage: bench/yaml.sh [COUNT]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$LEASH_ROOT/bench/lib.sh"
ensure_packages build bench
ensure_npm_set build
build_leash OFF --target leash --target leash_yaml_parse_only
count=${1:-5000}
corpus=$LEASH_BUILD/bench/yaml-corpus
rm -rf "$corpus"
python3 "$LEASH_ROOT/bench/gen_yaml_corpus.py" "$corpus" "$count" "$LEASH_ROOT/../shared/corpus" >&2
files=$(find "$corpus" -type f | wc -l)
bytes=$(bytes_under "$corpus")
result=$LEASH_BUILD/bench/yaml.json
list=$LEASH_BUILD/bench/yaml-files.txt
(cd "$corpus" && find . -type f | sort) >"$list"
cd "$corpus"
# yamllint with its default rules, and with none (parse only): it reads every file as we do.
printf 'rules: {}\n' >"$LEASH_BUILD/bench/yamllint-parse-only.yaml"
hyperfine --warmup 1 --runs 5 --export-json "$result" -N \
  -n "yaml-cpp parse only (1 thread)" "$LEASH_BUILD/leash_yaml_parse_only $list" \
  -n "leash --jobs 1" "$LEASH_BUILD/leash check . --no-cache --exit-zero --quiet --jobs 1" \
  -n "leash (all cores)" "$LEASH_BUILD/leash check . --no-cache --exit-zero --quiet" >&2
hyperfine --runs 1 --export-json "$result.peers" \
  -n "yamllint" "yamllint -f parsable . > /dev/null || true" \
  -n "yamllint (parse only)" "yamllint -c $LEASH_BUILD/bench/yamllint-parse-only.yaml -f parsable . > /dev/null || true" >&2
python3 "$LEASH_ROOT/bench/table.py" "$files" "$bytes" 0,1 "$result" "$result.peers"
# Growth: the same kind of corpus at a tenth of the size, one job (time must grow linearly), and
# peak memory on the whole corpus.
tenth=$LEASH_BUILD/bench/yaml-corpus-tenth
rm -rf "$tenth"
python3 "$LEASH_ROOT/bench/gen_yaml_corpus.py" "$tenth" "$((count / 10))" "$LEASH_ROOT/../shared/corpus" >&2
hyperfine --warmup 1 --runs 5 -N --export-json "$result.growth" \
  -n "tenth" "$LEASH_BUILD/leash check $tenth --no-cache --exit-zero --quiet --jobs 1" \
  -n "whole" "$LEASH_BUILD/leash check $corpus --no-cache --exit-zero --quiet --jobs 1" >&2
python3 "$LEASH_ROOT/bench/growth.py" "$result.growth" "$(find "$tenth" -type f | wc -l)" "$files" \
  --bytes "$(bytes_under "$tenth")" "$bytes"
echo "- peak RSS, leash --jobs 1 on all $files files: $(($(rss "$LEASH_BUILD/leash" check . --no-cache \
  --exit-zero -q --jobs 1) / 1024)) MB"
# The target (at most 1.3x the parse) by instructions too, on the first 1,000 files of the list.
sample=$LEASH_BUILD/bench/yaml-sample
rm -rf "$sample" && mkdir -p "$sample"
head -1000 "$list" | tr '\n' '\0' | xargs -0 cp --parents -t "$sample"
(cd "$sample" && find . -type f | sort) >"$sample.txt"
ours=$(instructions "$LEASH_BUILD/leash" check "$sample" --no-cache --exit-zero -q --jobs 1)
floor=$(cd "$sample" && instructions "$LEASH_BUILD/leash_yaml_parse_only" "$sample.txt")
echo "- instructions on $(wc -l <"$sample.txt") files (callgrind): yaml-cpp parse only $floor," \
  "leash --jobs 1 $ours ($(python3 -c "print(f'{$ours / $floor:.2f}x')"))"
