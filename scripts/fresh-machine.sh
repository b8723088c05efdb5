#!/usr/bin/env bash
# Proves the README's set-up on a fresh Debian 12 machine: builds a minimal Debian root with
# debootstrap (from the apt source this host uses), clones this repository's HEAD into it, and
# runs the README's two commands there in order: scripts/run.sh on a fixture folder (it must print
# findings), then scripts/test.sh. Nothing of the host is copied but the apt source and the CA
# bundle this workplace's network needs. Needs root. Prints the wall time of each step.
# Usage: scripts/fresh-machine.sh [ROOT_DIR]   (default: a new folder under /var/tmp, removed after)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
keep=${1:+yes}
root=${1:-$(mktemp -d /var/tmp/leash-fresh.XXXXXX)}
chmod 755 "$root" # the machine's `/`: mktemp's 0700 would shut out every user but root
log() { printf 'fresh-machine: %s\n' "$*" >&2; }
step() { # step NAME COMMAND...: runs and times one step
  local name=$1 start=$SECONDS
  shift
  log "$name ..."
  "$@"
  log "$name: $((SECONDS - start)) s"
}

command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >&2; }
# The host's Debian mirror, from its deb822 sources (or the classic sources.list).
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list)
[ -n "$mirror" ] || { echo "fresh-machine.sh: no Debian mirror in the host's apt sources" >&2; exit 2; }

mounted=()
cleanup() {
  local m
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  [ -n "$keep" ] || rm -rf --one-file-system "$root"
}
trap cleanup EXIT
total=$SECONDS

step "debootstrap bookworm from $mirror" \
  debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
# The same apt source as the host (and its settings for this mirror), and the CA bundle the
# network here is reached through; nothing else of the host.
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null ||
  cp /etc/apt/sources.list "$root/etc/apt/sources.list"
cp /etc/apt/apt.conf.d/99artifact-registry "$root/etc/apt/apt.conf.d/" 2>/dev/null || true
ca=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
mkdir -p "$root/usr/local/share/leash-fresh"
cp "$ca" "$root/usr/local/share/leash-fresh/ca.crt"
for fs in dev dev/pts proc sys; do
  mount --bind "/$fs" "$root/$fs"
  mounted+=("$root/$fs")
done

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 SSL_CERT_FILE=/usr/local/share/leash-fresh/ca.crt \
    NODE_EXTRA_CA_CERTS=/usr/local/share/leash-fresh/ca.crt \
    npm_config_cafile=/usr/local/share/leash-fresh/ca.crt \
    GIT_SSL_CAINFO=/usr/local/share/leash-fresh/ca.crt bash -c "$1"
}
step "git and CA certificates" in_root \
  'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null'
mkdir -p "$root/src"
git clone -q --no-local "$repo" "$root/src/leash"
log "cloned $(git -C "$repo" rev-parse --short HEAD) into $root/src/leash"

# The README's two commands, in order, as a new user runs them.
start=$SECONDS code=0
in_root 'cd /src/leash && scripts/run.sh fixtures/yaml' >"$root/run.log" 2>&1 || code=$?
log "scripts/run.sh fixtures/yaml: $((SECONDS - start)) s, exit $code"
grep -E ': (warning|error): ' "$root/run.log" | head -3 >&2 || true
if [ "$code" != 1 ] || ! grep -qE ': (warning|error): .*\[[a-z-]+\]$' "$root/run.log"; then
  tail -30 "$root/run.log" >&2
  log "FAILED: scripts/run.sh exited $code without printing findings"
  exit 1
fi
start=$SECONDS code=0
in_root 'cd /src/leash && scripts/test.sh' >"$root/test.log" 2>&1 || code=$?
log "scripts/test.sh: $((SECONDS - start)) s, exit $code"
tail -3 "$root/test.log" >&2
[ "$code" = 0 ] || { tail -60 "$root/test.log" >&2; log "FAILED: scripts/test.sh"; exit 1; }
log "passed: clone to findings and every test on a fresh Debian 12 root in $((SECONDS - total)) s"
