#!/usr/bin/env bash
# Benchmark: leash on the installed Python standard library and Debian's redis-py, asyncpg and
# SQLAlchemy, next to the bare tree-sitter parse (the floor), ruff (WebAssembly, npm), bandit and
# pylint (Debian) on the same files; then peak memory on half and on all of the corpus.
# Usage: bench/python.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
ensure_packages build bench test
ensure_npm_set build
ensure_npm_set bench
build_leash --target leash --target leash_parse_only
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
  -n "leash --jobs 1" "$LEASH_BUILD/leash check . --exit-zero --quiet --jobs 1" \
  -n "leash (all cores)" "$LEASH_BUILD/leash check . --exit-zero --quiet" >&2
hyperfine --runs 1 --export-json "$json.peers" \
  -n "ruff 0.17.4 (WebAssembly, default rules)" "node $LEASH_ROOT/bench/ruff_wasm.js $list $LEASH_BUILD/npm-bench" \
  -n "bandit 1.6.2" "bandit -q -r . -f csv -o /dev/null || true" \
  -n "pylint 2.16.2 (one check: dangerous-default-value)" \
     "pylint --disable=all --enable=dangerous-default-value --jobs=1 --recursive=y . > /dev/null || true" >&2
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
python3 - "$json" "$json.peers" "$files" "$bytes" \
  "$(rss "$LEASH_BUILD/leash" check "$half" --exit-zero -q --jobs 1)" \
  "$(rss "$LEASH_BUILD/leash" check . --exit-zero -q --jobs 1)" "$(du -sm "$half" | cut -f1)" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"] + json.load(open(sys.argv[2]))["results"]
files, size = int(sys.argv[3]), int(sys.argv[4])
floor, ours = runs[0]["mean"], runs[1]["mean"]
print(f"{files} files, {size / 1e6:.1f} MB")
print("| command | time (s) | files/s | MB/s | vs parse only | vs leash --jobs 1 |")
print("|---|---|---|---|---|---|")
for r in runs:
    t = r["mean"]
    print(f"| {r['command']} | {t:.2f} | {files / t:,.0f} | {size / 1e6 / t:.1f} | {t / floor:.2f}x | {t / ours:.2f}x |")
print(f"peak RSS, leash --jobs 1: {int(sys.argv[5]) / 1024:.0f} MB on {sys.argv[7]} MB of files, "
      f"{int(sys.argv[6]) / 1024:.0f} MB on all {size / 1e6:.0f} MB")
PY
