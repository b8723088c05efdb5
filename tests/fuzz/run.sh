#!/usr/bin/env bash
# Runs one libFuzzer target: first every kept regression input once (tests/fuzz/regressions/NAME),
# then SECONDS of fuzzing from seed corpora made of the project's fixtures, ../shared/corpus and
# reports leash writes. A crash, a leak, undefined behaviour, an input slower than 10 s or more
# memory than 2 GiB fails the test; the input is saved under WORK and printed in base64, to be
# kept as a regression input once fixed.
#   usage: run.sh TARGET NAME SECONDS WORK LEASH    ($LEASH_FUZZ_SECONDS, when set, overrides SECONDS)
set -euo pipefail
exe=$1 name=$2 seconds=${LEASH_FUZZ_SECONDS:-$3} work=$4 leash=$5
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
regressions=$src/tests/fuzz/regressions/$name
seeds=$work/$name/seeds corpus=$work/$name/corpus
rm -rf "$work/$name" && mkdir -p "$seeds" "$corpus"

# Seeds, copied flat (libFuzzer reads folders recursively, and would take a config for a manifest).
seed_files() {
  local corpus_dir=$src/../shared/corpus
  case $name in
    yaml) find "$src/fixtures/yaml" "$src/tests/data" -name '*.y*ml' -type f
      [ -d "$corpus_dir" ] && find "$corpus_dir" -name '*.y*ml' -type f ;;
    python) find "$src/fixtures/python" "$src/tests/data" -name '*.py' -type f
      # Real code besides: the standard library's asyncio, http and logging (python3 is a test
      # package).
      find /usr/lib/python3.11/asyncio /usr/lib/python3.11/http /usr/lib/python3.11/logging \
        -name '*.py' -type f 2>/dev/null || true ;;
    python_modules)
      # A fixture folder's modules joined as the target splits them (at `#---` lines), and the
      # single-module seeds besides.
      local made=$work/$name/made
      mkdir -p "$made"
      for dir in $(find "$src/fixtures/python" -mindepth 1 -type d); do
        find "$dir" -maxdepth 1 -name '*.py' -type f | sort |
          while IFS= read -r module; do cat "$module"; printf '\n#---\n'; done \
          >"$made/$(echo "${dir#"$src"/}" | tr / _)"
      done
      ls "$made"/*
      find "$src/fixtures/python" -maxdepth 2 -name '*.py' -type f ;;
    config) find "$src/fixtures" "$src/tests/data" -name '.leash.yaml' -type f ;;
    annotations) find "$src/fixtures" -type f ! -name '*.findings' ;;
    reports)
      "$leash" check --no-cache --format json --shard 1/2 --output "$work/$name/shard.json" \
        "$src/fixtures/yaml" "$src/fixtures/python" >/dev/null 2>&1 || true
      "$leash" check --no-cache --format sarif --shard 2/2 --output "$work/$name/shard.sarif" \
        "$src/fixtures/yaml" "$src/fixtures/python" >/dev/null 2>&1 || true
      "$leash" check --no-cache --format sarif --output "$work/$name/full.sarif" \
        "$src/fixtures/yaml" >/dev/null 2>&1 || true
      ls "$work/$name"/*.json "$work/$name"/*.sarif "$src/tests/golden/report.json" ;;
    *) echo "run.sh: unknown target $name" >&2; exit 2 ;;
  esac
}
i=0
while IFS= read -r file; do
  i=$((i + 1))
  cp "$file" "$seeds/$i"
done < <(seed_files)
echo "fuzz $name: $i seed files" >&2

if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
  "$exe" -timeout=10 -rss_limit_mb=2048 "$regressions"/*
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# The targets' scratch folders go below WORK: no `.leash.yaml` of a shared /tmp is above them.
export TMPDIR=$work/$name/tmp
mkdir -p "$TMPDIR"
status=0
"$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$work/$name/" -print_final_stats=1 "$corpus" "$seeds" || status=$?
if [ "$status" -ne 0 ]; then
  for artifact in "$work/$name"/crash-* "$work/$name"/leak-* "$work/$name"/timeout-* \
    "$work/$name"/oom-*; do
    [ -f "$artifact" ] || continue
    echo "fuzz $name: failing input $artifact (base64):" >&2
    head -c 20000 "$artifact" | base64 >&2
  done
fi
exit "$status"
