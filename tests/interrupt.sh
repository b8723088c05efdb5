#!/usr/bin/env bash
# Ctrl-C (SIGINT) and SIGTERM: leash stops within a second with 130 / 143, leaves no report and no
# temporary file (report or cache), and a later run with the same cache reports what a run without
# it does. Usage: interrupt.sh LEASH SOURCE_DIR
set -euo pipefail
leash=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# C/C++ units keep one job busy for seconds: a scan that is surely under way when the signal comes.
mkdir -p "$work/tree" "$work/out"
cp "$source_dir/fixtures/cpp/grow-only-container/.leash.yaml" "$work/tree/"
for i in $(seq 1 24); do
  cp "$source_dir/fixtures/cpp/grow-only-container/members.cpp" "$work/tree/unit_$i.cpp"
done

fail() { echo "interrupt.sh: $*" >&2; exit 1; }

for signal in INT TERM; do
  expected=$([ $signal = INT ] && echo 130 || echo 143)
  "$leash" check --jobs 1 --cache-dir "$work/cache" --format sarif --output "$work/out/report.sarif" \
    "$work/tree" > /dev/null 2>&1 &
  pid=$!
  sleep 1.5
  kill -0 "$pid" 2> /dev/null || fail "the scan ended before SIG$signal could stop it"
  start=$(date +%s%N)
  kill -s "$signal" "$pid"
  set +e
  wait "$pid"
  status=$?
  set -e
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
  [ "$status" -eq "$expected" ] || fail "SIG$signal: exit $status, expected $expected"
  [ "$elapsed_ms" -lt 1000 ] || fail "SIG$signal: stopped after $elapsed_ms ms"
  [ ! -e "$work/out/report.sarif" ] || fail "SIG$signal: a report was written"
  leftovers=$(find "$work/out" "$work/cache" -name '.*.??????' 2> /dev/null | wc -l)
  [ "$leftovers" -eq 0 ] || fail "SIG$signal: $leftovers temporary files left"
  echo "SIG$signal: exit $status after $elapsed_ms ms, nothing left behind"
done

# A later run with the interrupted cache reports what a run without any cache does.
set +e
"$leash" check --cache-dir "$work/cache" --format json --output "$work/out/cached.json" "$work/tree"
cached=$?
"$leash" check --no-cache --format json --output "$work/out/fresh.json" "$work/tree"
fresh=$?
set -e
[ "$cached" -eq "$fresh" ] || fail "exit $cached with the cache, $fresh without"
python3 - "$work/out/cached.json" "$work/out/fresh.json" << 'PY' || fail "the cached run differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for report in (a, b):
    report.pop("stats", None)
sys.exit(0 if a == b else 1)
PY
echo "a later run is unaffected"
