#!/usr/bin/env bash
# Validates the SARIF leash writes for the fixtures and the shared corpus against the official
# SARIF 2.1.0 schema (ajv, strict) and with Microsoft's SARIF multitool (which also applies GitHub's
# ingestion rules). Usage: validate_sarif.sh LEASH_BINARY NPM_TOOLS_DIR
set -uo pipefail
leash=$1 tools=$2
[ -x "$tools/node_modules/.bin/ajv" ] || { echo "npm tools missing in $tools: run scripts/test.sh" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
inputs=(fixtures tests/data)
[ -d ../shared/corpus ] && inputs+=(../shared/corpus)
# A C++ unit whose compile command loads a plugin: leash removes the flag, with a note.
mkdir -p "$work/notes"
echo 'int main() { return 0; }' > "$work/notes/a.cpp"
printf '[{"directory": "%s", "file": "a.cpp", "arguments": ["c++", "-fplugin=x.so", "-c", "a.cpp"]}]\n' \
  "$work/notes" > "$work/notes/compile_commands.json"
inputs+=("$work/notes")
# validate FILE LABEL: the strict schema, then the multitool (GitHub's ingestion rules).
validate() {
  local out=$1 label=$2 before=$status
  local schema=$tools/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json
  if ! "$tools/node_modules/.bin/ajv" validate --spec=draft2020 -c ajv-formats --all-errors \
      --errors=text -s "$schema" -d "$out" >"$work/ajv.log" 2>&1; then
    echo "schema validation failed for $label:"; cat "$work/ajv.log"; status=2
  fi
  # The multitool always exits 0; its findings about our SARIF are in its own SARIF log.
  DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
    "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" validate "$out" \
    -o "$work/multitool.sarif" --log ForceOverwrite >"$work/mt.log" 2>&1
  if ! node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const bad = log.runs.flatMap(r => r.results || []).filter(r => ["error", "warning"].includes(r.level || "warning"));
    for (const r of bad) console.log(r.level, r.ruleId, JSON.stringify(r.message));
    process.exit(bad.length ? 1 : 0);' "$work/multitool.sarif"; then
    echo "multitool reported problems for $label"; status=2
  fi
  [ "$status" = "$before" ] &&
    echo "$label: $(grep -o '"ruleId"' "$out" | wc -l) results, $(grep -o '"fixes"' "$out" | wc -l) with fixes, $(grep -o '"level": "note"' "$out" | wc -l) notes, schema and multitool clean"
}
for input in "${inputs[@]}"; do
  name=$(echo "$input" | tr '/.' '__')
  out=$work/$name.sarif.json
  "$leash" check "$input" --format sarif --output "$out" --exit-zero --no-cache ||
    { echo "leash failed on $input"; status=2; continue; }
  validate "$out" "$input"
done
# What CI adds: a baseline (unchanged and new results), a category, a shard's carried state.
"$leash" check fixtures/yaml --format json --output "$work/baseline.json" --exit-zero --no-cache
"$leash" check fixtures --baseline "$work/baseline.json" --sarif-category leash/ci --shard 1/1 \
  --format sarif --output "$work/ci.sarif.json" --exit-zero --no-cache &&
  validate "$work/ci.sarif.json" "fixtures with --baseline, --sarif-category and --shard" ||
  { echo "leash failed on the CI options"; status=2; }
[ "$status" = 0 ]
