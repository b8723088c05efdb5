#!/usr/bin/env bash
# Guards the README's first command: what scripts/run.sh installs and builds must not need a
# package that only the test or bench groups of scripts/deps.txt install (a fresh machine has
# only the `build` group when it first runs scripts/run.sh). Checks, cheaply:
#  - scripts/run.sh and scripts/install.sh ask for the `build` packages and npm set only;
#  - a tree configured without tests (as scripts/run.sh configures it) reads no file of a
#    test-only package;
#  - no header the leash binary was compiled from, and no library it loads, belongs to one.
# Usage: run_path_needs.sh BUILD_DIR (a built tree)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "$1" && pwd)
status=0
fail() { echo "FAILED: $*"; status=1; }

for script in run.sh install.sh; do
  grep -E '^\s*(ensure_packages|ensure_npm_set|build_leash)' "$root/scripts/$script" |
    grep -vqE '^\s*(ensure_packages build|ensure_npm_set build|build_leash OFF)( |$)' &&
    fail "scripts/$script asks for more than the build group"
done

# Files of the packages that only the test and bench groups install.
mapfile -t only_test < <(awk '$1 !~ /^#/ && NF >= 2 {split($2, p, "="); g[p[1]] = g[p[1]] " " $1}
  END {for (k in g) if (g[k] !~ / build/) print k}' "$root/scripts/deps.txt" | sort)
owned=$(mktemp)
configured=$(mktemp -d)
trap 'rm -rf "$owned" "$configured"' EXIT
for package in "${only_test[@]}"; do
  dpkg -L "$package" 2>/dev/null | while read -r f; do [ -f "$f" ] && echo "$f"; done || true
done | sort -u >"$owned"
[ -s "$owned" ] || fail "found no installed file of the test-only packages (${only_test[*]})"
owner_of() { grep -Fxf - "$owned" || true; }

# The configure step scripts/run.sh runs on a fresh clone (tests off): the packages it found and
# the files its build of leash takes as inputs.
cmake -S "$root" -B "$configured" -G Ninja -DLEASH_BUILD_TESTS=OFF \
  -DLEASH_NPM_SOURCES="$build/npm-build/node_modules" >/dev/null 2>&1 ||
  fail "configuring without tests failed (cmake -S . -B DIR -DLEASH_BUILD_TESTS=OFF)"
used=$( (grep -oE '/usr/[^;]+' "$configured/CMakeCache.txt" | while read -r p; do
    [ -d "$p" ] && find "$p" -maxdepth 1 -name '*onfig*.cmake' || echo "$p"; done
  cd "$configured" && ninja -t inputs leash leash_cpp | grep '^/') 2>/dev/null | sort -u | owner_of)
[ -z "$used" ] || fail "configuring without tests needs test-only files: $(echo $used | head -c 300)"

# What leash and its C/C++ module are compiled from (ninja's record of every header) and load.
headers=$(cd "$build" && ninja -t deps $(ninja -t inputs leash leash_cpp 2>/dev/null | grep '\.o$') \
  2>/dev/null | awk '/^    / {print $1}' | sort -u)
[ -n "$headers" ] || fail "ninja recorded no headers for leash's objects in $build"
used=$( (echo "$headers"; ldd "$build/leash" "$build/libleash-cpp.so" | awk '/=>/ {print $3}' |
  xargs -r readlink -f) | sort -u | owner_of)
[ -z "$used" ] || fail "leash or its C/C++ module needs test-only files: $(echo $used | head -c 300)"
[ "$status" = 0 ] && echo "ok: the run path needs only the build group (${#only_test[@]} test/bench-only packages checked)"
exit "$status"
