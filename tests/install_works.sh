#!/usr/bin/env bash
# `cmake --install` puts a leash on PREFIX/bin that works from anywhere: the catalog is embedded,
# its C/C++ module is the one in PREFIX's library folder (not the build tree's), clang's builtin
# headers are found beside the libclang-cpp that loads. Usage: install_works.sh BUILD
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
leash=$work/prefix/bin/leash
[ -x "$leash" ] || { echo "FAILED: no $leash"; exit 1; }
ls "$work"/prefix/lib*/leash/libleash-cpp.so >/dev/null ||
  { echo "FAILED: the C/C++ module is not installed"; exit 1; }
mkdir -p "$work/project"
cd "$work/project"
# <stddef.h> is one of clang's builtin headers; <vector> and hiredis come from the system.
cat > cache.cpp <<'CPP'
#include <stddef.h>
#include <vector>
#include <hiredis/hiredis.h>
redisContext *open_cache(size_t port) { return redisConnect("cache", static_cast<int>(port)); }
CPP
code=0
LD_DEBUG=files "$leash" check cache.cpp --format json --no-cache > report.json 2> loaded.txt || code=$?
grep -q "file=$work/prefix/lib.*/leash/libleash-cpp.so" loaded.txt ||
  { echo "FAILED: the installed leash did not load its own C/C++ module"; grep leash-cpp loaded.txt; exit 1; }
"$leash" explain missing-socket-timeout | grep -q '^# missing-socket-timeout' ||
  { echo "FAILED: explain did not print the embedded rule doc"; exit 1; }
python3 - "$code" <<'PY'
import json, sys
report = json.load(open("report.json"))
found = [(f["rule"], f["line"]) for f in report["findings"]]
ok = sys.argv[1] == "1" and report["errors"] == [] and found == [("missing-socket-timeout", 4)]
print(("ok: " if ok else "FAILED: ") + f"exit {sys.argv[1]}, findings {found}, errors {report['errors']}")
sys.exit(0 if ok else 1)
PY
