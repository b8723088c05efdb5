#!/usr/bin/env bash
# A crash inside clang (here forced with `#pragma clang __debug crash`, which leash only allows
# under LEASH_TEST_CLANG_DEBUG_CRASH) is reported as that unit's error, and the rest of the scan
# still reports its findings. Usage: clang_crash.sh LEASH_BINARY
set -euo pipefail
leash=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
printf '#pragma clang __debug crash\n#include <hiredis/hiredis.h>\nint x;\n' > "$work/src/a_crash.cpp"
printf '#include <hiredis/hiredis.h>\nredisContext *f() { return redisConnect("x", 1); }\n' \
  > "$work/src/b_fine.cpp"
cd "$work"
status=0
for jobs in 1 2; do
  code=0
  LEASH_TEST_CLANG_DEBUG_CRASH=1 "$leash" check src --format json --jobs "$jobs" \
    > "report.json" 2> stderr.txt || code=$?
  python3 - "$code" <<'PY' || status=1
import json, sys
report = json.load(open("report.json"))
errors = [(e["path"], e["message"]) for e in report["errors"]]
findings = [(f["path"], f["line"]) for f in report["findings"]]
ok = (sys.argv[1] == "1"
      and len(errors) == 1 and errors[0][0] == "src/a_crash.cpp" and "clang crashed" in errors[0][1]
      and findings == [("src/b_fine.cpp", 2)])
print(("ok: " if ok else "FAILED: ") + f"exit {sys.argv[1]}, errors {errors}, findings {findings}")
sys.exit(0 if ok else 1)
PY
done
# Without the test switch, the pragma is ignored: no crash, no error, and nothing on stderr (clang
# times the pragma, and LLVM would print the timer's report there).
"$leash" check src --format json > report.json 2> stderr.txt || true
python3 -c 'import json; r = json.load(open("report.json")); assert not r["errors"], r["errors"]' ||
  { echo "FAILED: the pragma crashed clang without the test switch"; status=1; }
[ -s stderr.txt ] && { echo "FAILED: stderr is not empty:"; cat stderr.txt; status=1; }
exit $status
