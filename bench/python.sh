#!/usr/bin/env bash
# Benchmark: leash on the installed Python standard library and Debian's redis-py, asyncpg and
# SQLAlchemy, next to the bare tree-sitter parse (the floor), ruff (WebAssembly, npm), bandit and
# pylint (Debian) on the same files; then peak memory on half and on all of the corpus.
# Usage: bench/python.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$LEASH_ROOT/bench/lib.sh"
ensure_packages build bench test
ensure_npm_set build
ensure_npm_set bench
build_leash OFF --target leash --target leash_parse_only
corpus=$LEASH_BUILD/bench/python-corpus
rm -rf "$corpus" && mkdir -p "$corpus"
stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
copy() {
  mkdir -p "$corpus/$2"
  (cd "$1" && find . -name '*.py' -not -path '*/site-packages/*' -print0 |
    xargs -0 cp --parents -t "$corpus/$2")
}
copy "$stdlib" stdlib
[ "$stdlib" != /usr/lib/python3.11 ] && [ -d /usr/lib/python3.11 ] && copy /usr/lib/python3.11 debian-stdlib
for package in redis asyncpg sqlalchemy; do copy "/usr/lib/python3/dist-packages/$package" "$package"; done
list=$LEASH_BUILD/bench/python-files.txt
(cd "$corpus" && find . -name '*.py' | sort) >"$list"
files=$(wc -l <"$list")
bytes=$(cd "$corpus" && tr '\n' '\0' <"$list" | xargs -0 stat -c %s | awk '{s += $1} END {print s}')
half=$LEASH_BUILD/bench/python-half
rm -rf "$half" && mkdir -p "$half" && cp -r "$corpus/stdlib" "$half/"

cd "$corpus"
json=$LEASH_BUILD/bench/python.json
hyperfine --warmup 1 --runs 3 -N --export-json "$json" \
  -n "tree-sitter parse only (1 thread)" "$LEASH_BUILD/leash_parse_only $list" \
  -n "leash --jobs 1" "$LEASH_BUILD/leash check . --no-cache --exit-zero --quiet --jobs 1" \
  -n "leash --jobs 1, every rule (opt-in grow-only-container too)" \
     "$LEASH_BUILD/leash check . --no-cache --exit-zero --quiet --jobs 1 --extend-select grow-only-container" \
  -n "leash (all cores)" "$LEASH_BUILD/leash check . --no-cache --exit-zero --quiet" >&2
hyperfine --runs 1 --export-json "$json.peers" \
  -n "ruff 0.17.4 (WebAssembly, default rules)" "node $LEASH_ROOT/bench/ruff_wasm.js $list $LEASH_BUILD/npm-bench" \
  -n "bandit 1.6.2" "bandit -q -r . -f csv -o /dev/null || true" \
  -n "pylint 2.16.2 (one check: dangerous-default-value)" \
     "pylint --disable=all --enable=dangerous-default-value --jobs=1 --recursive=y . > /dev/null || true" >&2
# Growth: a tenth of the files (every tenth in the list) against ten copies of that tenth, one job:
# the same files ten times over must take ten times as long. (The tenth against the whole corpus
# says less: the files' costs differ by orders of magnitude, and most are skipped unparsed.)
tenth=$LEASH_BUILD/bench/python-tenth tenfold=$LEASH_BUILD/bench/python-tenfold
rm -rf "$tenth" "$tenfold" && mkdir -p "$tenth" "$tenfold"
awk 'NR % 10 == 1' "$list" | tr '\n' '\0' | xargs -0 cp --parents -t "$tenth"
for copy in 0 1 2 3 4 5 6 7 8 9; do cp -r "$tenth" "$tenfold/$copy"; done
hyperfine --warmup 1 --runs 3 -N --export-json "$json.growth" \
  -n "tenth" "$LEASH_BUILD/leash check $tenth --no-cache --exit-zero --quiet --jobs 1" \
  -n "whole" "$LEASH_BUILD/leash check $tenfold --no-cache --exit-zero --quiet --jobs 1" >&2
python3 "$LEASH_ROOT/bench/table.py" "$files" "$bytes" 0,1 "$json" "$json.peers"
python3 "$LEASH_ROOT/bench/growth.py" "$json.growth" "$(find "$tenth" -name '*.py' | wc -l)" \
  "$(find "$tenfold" -name '*.py' | wc -l)"
echo "- peak RSS, leash --jobs 1: $(($(rss "$LEASH_BUILD/leash" check "$half" --no-cache --exit-zero -q --jobs 1) / 1024)) MB" \
  "on $(du -sm "$half" | cut -f1) MB of files, $(($(rss "$LEASH_BUILD/leash" check . --no-cache --exit-zero -q --jobs 1) / 1024)) MB" \
  "on all $((bytes / 1000000)) MB"
sample=$LEASH_BUILD/bench/python-sample
rm -rf "$sample" && mkdir -p "$sample"
head -300 "$list" | tr '\n' '\0' | xargs -0 cp --parents -t "$sample"
(cd "$sample" && find . -name '*.py' | sort) >"$sample.txt"
ours=$(instructions "$LEASH_BUILD/leash" check "$sample" --no-cache --exit-zero -q --jobs 1)
every=$(instructions "$LEASH_BUILD/leash" check "$sample" --no-cache --exit-zero -q --jobs 1 \
  --extend-select grow-only-container)
floor=$(cd "$sample" && instructions "$LEASH_BUILD/leash_parse_only" "$sample.txt")
ratio() { python3 -c "print(f'{$1 / $floor:.2f}x')"; }
echo "- instructions on $(wc -l <"$sample.txt") files (callgrind), against parse only ($floor):" \
  "leash --jobs 1 $ours ($(ratio "$ours")), every rule (every module parsed) $every ($(ratio "$every"))"
