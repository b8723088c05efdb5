#!/usr/bin/env bash
# Benchmark: leash on C++ translation units, next to clang++ -fsyntax-only with the same flags (the
# floor a naive tool cannot beat) and clang-tidy running one simple check, on the same units; one
# job each, then all three on all cores (clang-tidy through its own run-clang-tidy), leash with a
# rule that the prefilter lets skip every unit that does not declare hiredis, and leash with the
# default rules. leash's rows besides the last two run grow-only-container's C++ check (opt-in,
# bench/cpp.leash.yaml), which has every unit declaring a standard container parsed in full.
# Usage: bench/cpp.sh                          leash's own sources, from build/compile_commands.json
#        bench/cpp.sh ROOT BUILD FOLDER...      another project: its units under ROOT/FOLDER...,
#                                               with commands from BUILD/compile_commands.json
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$LEASH_ROOT/bench/lib.sh"
ensure_packages build bench
ensure_npm_set build
build_leash OFF --target leash
if (($# >= 3)); then
  root=$(realpath "$1") build=$(realpath "$2")
  shift 2
  folders=("$@")
else
  root=$LEASH_ROOT build=$LEASH_BUILD
  folders=(core checks frontend report cli)
fi
cd "$root"
syntax=$LEASH_BUILD/bench/cpp-syntax-only.sh
mkdir -p "$LEASH_BUILD/bench"
units=$(python3 "$LEASH_ROOT/bench/cpp_commands.py" "$build/compile_commands.json" "$syntax" \
  "$LEASH_BUILD/bench/cpp-sources.txt" "${folders[@]}")
sources=$(cat "$LEASH_BUILD/bench/cpp-sources.txt")
files=$(wc -l <<< "$sources")
bytes=$(xargs cat <<< "$sources" | wc -c)
json=$LEASH_BUILD/bench/cpp.json
rules=missing-socket-timeout,missing-command-timeout,grow-only-container
leash="$LEASH_BUILD/leash check ${folders[*]} -p $build --config $LEASH_ROOT/bench/cpp.leash.yaml --no-cache --exit-zero -q"
jobs=$(nproc)
tidy_check="-checks=-*,bugprone-use-after-move"
# run-clang-tidy takes regular expressions of the database's (absolute) file names.
regex="^$root/($(IFS='|'; echo "${folders[*]}"))/"
hyperfine --runs 1 --export-json "$json" \
  -n "clang++ -fsyntax-only (1 job)" "bash $syntax" \
  -n "leash --jobs 1" "$leash --select $rules --jobs 1" \
  -n "clang-tidy (one check, 1 job)" "clang-tidy-16 -p $build --quiet $tidy_check $(tr '\n' ' ' <<< "$sources") > /dev/null 2>&1 || true" \
  -n "clang++ -fsyntax-only ($jobs jobs)" "xargs -d '\n' -P $jobs -n 1 bash -c < $syntax" \
  -n "leash ($jobs jobs)" "$leash --select $rules --jobs $jobs" \
  -n "run-clang-tidy ($jobs jobs)" "run-clang-tidy-16 -p $build -j $jobs -quiet $tidy_check -clang-tidy-binary clang-tidy-16 '$regex' > /dev/null 2>&1 || true" \
  -n "leash --jobs 1, hiredis rule only" "$leash --select missing-socket-timeout --jobs 1" \
  -n "leash --jobs 1, default rules" "$leash --jobs 1" >&2
# Growth: a tenth of the units (every tenth in the list) against all of them, one job.
tenth=$(awk 'NR % 10 == 1' <<< "$sources")
hyperfine --runs 1 --export-json "$json.growth" \
  -n tenth "$LEASH_BUILD/leash check $(tr '\n' ' ' <<< "$tenth") -p $build --config $LEASH_ROOT/bench/cpp.leash.yaml --no-cache --exit-zero -q --select $rules --jobs 1" >&2
echo "$units translation units"
python3 "$LEASH_ROOT/bench/table.py" "$files" "$bytes" 0,1 "$json"
python3 "$LEASH_ROOT/bench/growth.py" "$json,$json.growth" "$(wc -l <<< "$tenth")" "$files" "leash --jobs 1"
# The targets, at equal parallelism: leash / clang++ -fsyntax-only and clang-tidy / leash.
python3 -c 'import json, sys
t = [r["median"] for r in json.load(open(sys.argv[1]))["results"]]
print()
for name, (syntax, leash, tidy) in (("1 job", t[0:3]), (sys.argv[2] + " jobs", t[3:6])):
    print(f"- {name}: leash at {leash / syntax:.2f}x of clang++ -fsyntax-only, {tidy / leash:.2f}x faster than clang-tidy")
print(f"- 1 job, the default rules (what `leash check` runs): {t[2] / t[7]:.2f}x faster than clang-tidy")' "$json" "$jobs"
# The same target by instructions (callgrind), which do not swing with the machine, on three units
# spread over the list: leash and clang-tidy side by side, one job each.
sample=$(awk -v n="$files" 'NR == int(n / 6) + 1 || NR == int(n / 2) + 1 || NR == int(5 * n / 6) + 1' \
  <<< "$sources")
ours=0 theirs=0
for unit in $sample; do
  instructions "$LEASH_BUILD/leash" check "$unit" -p "$build" --config "$LEASH_ROOT/bench/cpp.leash.yaml" \
    --no-cache --exit-zero -q --select "$rules" --jobs 1 >"$json.ours" &
  ours_job=$!
  instructions clang-tidy-16 -p "$build" --quiet "$tidy_check" "$unit" >"$json.theirs"
  wait "$ours_job"
  ours=$((ours + $(cat "$json.ours"))) theirs=$((theirs + $(cat "$json.theirs")))
  echo "- instructions, $unit: leash --jobs 1 $(cat "$json.ours"), clang-tidy $(cat "$json.theirs")"
done
echo "- instructions, these units: $(python3 -c "print(f'{$theirs / $ours:.2f}x')") fewer for leash than clang-tidy"
