#!/usr/bin/env bash
# A folder and a file without read permission are errors naming them (exit 1), and the rest of
# the scan goes on: never a silently partial scan. Root reads everything, so as root (CI) leash
# runs as `nobody`.
#   usage: unreadable.sh LEASH
set -euo pipefail
dir=$(mktemp -d -p /tmp)
trap 'chmod -R u+rwx "$dir"; rm -rf "$dir"' EXIT
chmod 755 "$dir"
# A copy `nobody` can run wherever the build tree is (YAML needs no C/C++ module).
mkdir "$dir/bin" && cp "$1" "$dir/bin/leash" && chmod 755 "$dir/bin" "$dir/bin/leash"
leash=$dir/bin/leash
mkdir -p "$dir/ok" "$dir/locked"
printf 'services:\n  a: {image: nginx}\n' >"$dir/ok/docker-compose.yml"
cp "$dir/ok/docker-compose.yml" "$dir/locked/docker-compose.yml"
cp "$dir/ok/docker-compose.yml" "$dir/secret.yml"
chmod 755 "$dir/ok" && chmod 644 "$dir/ok/docker-compose.yml"
chmod 000 "$dir/locked" "$dir/secret.yml"
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  as_user=(runuser -u nobody --)
  if ! "${as_user[@]}" "$leash" --version >/dev/null 2>&1; then
    echo "SKIPPED: nobody cannot run $leash here (a folder on the way shuts it out)"
    exit 77
  fi
fi
status=0
for args in "." "locked ok secret.yml"; do
  code=0
  # shellcheck disable=SC2086
  out=$(cd "$dir" && "${as_user[@]}" "$leash" check --no-cache --format json $args) || code=$?
  [ "$code" -eq 1 ] || { echo "FAILED: leash check $args exited $code, not 1"; status=1; }
  python3 - "$args" "$out" <<'PY' || status=1
import json, sys
args, report = sys.argv[1], json.loads(sys.argv[2])
errors = {e["path"]: e["message"] for e in report["errors"]}
expected = {"locked": "cannot read the folder: Permission denied",
            "secret.yml": "cannot read the file: Permission denied"}
found = [f["path"] for f in report["findings"]]
if errors != expected or found != ["ok/docker-compose.yml"]:
    print(f"FAILED: leash check {args}: errors {errors}, findings in {found}")
    sys.exit(1)
PY
done
[ "$status" -eq 0 ] && echo "unreadable folder and file: reported, and the rest scanned"
exit "$status"
