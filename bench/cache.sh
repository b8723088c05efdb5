#!/usr/bin/env bash
# Benchmark: the result cache (hyperfine). Cold is a run with an empty cache (it analyzes every
# file and writes the cache), warm a run over the unchanged tree with the previous run's cache.
#  1. 10,000 Python and YAML files: 5,000 of the Python standard library and Debian's packages,
#     5,000 compose files and manifests (bench/gen_yaml_corpus.py); one job, then all cores.
#  2. C++: one of leash's own units, and all of them, from build/compile_commands.json.
#  3. A pre-commit-sized run: two files, warm, and without the cache.
# Usage: bench/cache.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$LEASH_ROOT/bench/lib.sh"
ensure_packages build bench test
ensure_npm_set build
build_leash OFF --target leash
leash=$LEASH_BUILD/leash
bench=$LEASH_BUILD/bench
corpus=$bench/cache-corpus
cache=$bench/cache-dir
rm -rf "$corpus" && mkdir -p "$corpus/python"
python3 "$LEASH_ROOT/bench/gen_yaml_corpus.py" "$corpus/yaml" 5000 "$LEASH_ROOT/../shared/corpus" >&2
stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
(cd / && find "${stdlib#/}" usr/lib/python3/dist-packages -name '*.py' -not -path '*/site-packages/*' |
  sort | head -5000 | xargs cp --parents -t "$corpus/python")
files=$(find "$corpus" -type f | wc -l)
bytes=$(bytes_under "$corpus")
echo "corpus: $files files ($(find "$corpus/python" -name '*.py' | wc -l) Python), $((bytes / 1000000)) MB" >&2

# ratio NAME JSON: "NAME: cold X s, warm Y s, warm is Nx faster" from a two-command hyperfine run.
ratio() {
  python3 - "$1" "$2" <<'PY'
import json, sys
cold, warm = (r["median"] for r in json.load(open(sys.argv[2]))["results"])
print(f"| {sys.argv[1]} | {cold:.3f} | {warm:.4f} | {cold / warm:.1f}x |")
PY
}
# cold_warm NAME OPTIONS PATH...: cold runs start from an empty cache; warm runs keep it.
cold_warm() {
  local name=$1 options=$2
  shift 2
  local json=$bench/cache-$RANDOM.json
  hyperfine -N --runs 5 --prepare "rm -rf $cache" --export-json "$json.cold" \
    -n cold "$leash check $* $options --exit-zero --quiet --cache-dir $cache" >&2
  hyperfine -N --runs 10 --warmup 1 --export-json "$json.warm" \
    -n warm "$leash check $* $options --exit-zero --quiet --cache-dir $cache" >&2
  python3 -c "import json,sys; a=json.load(open(sys.argv[1])); a['results'] += json.load(open(sys.argv[2]))['results']; json.dump(a, open(sys.argv[3], 'w'))" \
    "$json.cold" "$json.warm" "$json"
  ratio "$name" "$json"
}
echo "| run | cold (s) | warm (s) | warm vs cold |"
echo "|---|---|---|---|"
cold_warm "10,000 Python and YAML files, --jobs 1" "--jobs 1" "$corpus"
cold_warm "10,000 Python and YAML files, all cores" "" "$corpus"
cold_warm "5,000 YAML files, --jobs 1" "--jobs 1" "$corpus/yaml"
cold_warm "5,000 Python files, --jobs 1" "--jobs 1" "$corpus/python"
cd "$LEASH_ROOT"
# With grow-only-container and its C++ check (both opt-in), which every unit declaring a standard
# container may hold: the default rules' prefilter skips leash's units unparsed, and a cold run
# would measure no parse.
cpp="-p $LEASH_BUILD --config $LEASH_ROOT/bench/cpp.leash.yaml --extend-select grow-only-container"
cold_warm "one C++ unit (core/scan.cpp)" "$cpp" core/scan.cpp
cold_warm "leash's $(ls core/*.cpp checks/*/*.cpp frontend/*/*.cpp report/*.cpp cli/*.cpp | wc -l) C++ units, all cores" \
  "$cpp" core checks frontend report cli
two="fixtures/yaml/missing-memory-limit/docker-compose.yml fixtures/python/unbounded-queue/queues.py"
json=$bench/cache-precommit.json
hyperfine -N --warmup 3 --runs 30 --export-json "$json" \
  -n "no cache" "$leash check $two --exit-zero --quiet --no-cache" \
  -n "warm" "$leash check $two --exit-zero --quiet --cache-dir $cache" >&2
python3 - "$json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(f"\npre-commit-sized run (a compose file and a Python file): no cache {r['no cache']['median'] * 1000:.1f} ms"
      f" ± {r['no cache']['stddev'] * 1000:.1f}, warm {r['warm']['median'] * 1000:.1f} ms ± {r['warm']['stddev'] * 1000:.1f}")
PY
