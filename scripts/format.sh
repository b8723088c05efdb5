#!/usr/bin/env bash
# clang-format over our own C++ (not build/ or fetched code). --check: list what differs, exit 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
format=$(command -v clang-format-16 || command -v clang-format) || { echo "clang-format not found" >&2; exit 2; }
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.h' 2>/dev/null || find core report cli frontend checks tests bench -name '*.cpp' -o -name '*.h')
if [ "${1:-}" = "--check" ]; then
  bad=()
  for f in "${files[@]}"; do
    "$format" --style=file "$f" | cmp -s - "$f" || bad+=("$f")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    printf 'not clang-format clean (run scripts/format.sh): %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "clang-format: ${#files[@]} files clean"
else
  "$format" --style=file -i "${files[@]}"
fi
