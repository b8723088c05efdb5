# Shared set-up for scripts/run.sh, scripts/test.sh and bench/: install what is missing, build.
# Sourced, not run. Everything is idempotent and quiet when nothing changed.

LEASH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LEASH_BUILD=${LEASH_BUILD:-$LEASH_ROOT/build}

log() { printf 'leash-setup: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (install the packages listed in scripts/deps.txt by hand)"
  fi
}

# Installs every package of the given groups (see scripts/deps.txt) that is not present.
ensure_packages() {
  local group pin cmd pkg missing=()
  while read -r group pin cmd; do
    case "$group" in ''|'#'*) continue ;; esac
    [[ " $* " == *" $group "* ]] || continue
    pkg=${pin%%=*}
    if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then continue; fi
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' && continue
    missing+=("$pin")
  done <"$LEASH_ROOT/scripts/deps.txt"
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  as_root apt-get update -qq || die "apt-get update failed"
  local to_install=()
  for pin in "${missing[@]}"; do
    pkg=${pin%%=*}
    if apt-cache show "$pin" >/dev/null 2>&1; then to_install+=("$pin")
    else
      log "warning: $pin is no longer served; installing Debian's current $pkg"
      to_install+=("$pkg")
    fi
  done
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    "${to_install[@]}" >&2 || die "apt-get install failed: ${to_install[*]}"
}

# Installs a pinned npm set (scripts/npm/NAME/package-lock.json, integrity-checked, no install
# scripts run) into build/npm-NAME; reinstalls only when the lock file changed.
#   build: C sources compiled into leash (the tree-sitter runtime and its Python grammar)
#   test:  SARIF validators (ajv, Microsoft's multitool)
ensure_npm_set() {
  local name=$1
  local dir=$LEASH_BUILD/npm-$name lock=$LEASH_ROOT/scripts/npm/$name/package-lock.json
  if [ -f "$dir/.stamp" ] && cmp -s "$lock" "$dir/.stamp"; then return 0; fi
  log "installing npm set '$name' into $dir"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$LEASH_ROOT/scripts/npm/$name/package.json" "$lock" "$dir/"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2) ||
    die "npm ci failed in $dir"
  # --ignore-scripts also skips the multitool's own chmod of its native binary.
  local multitool=$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
  [ -f "$multitool" ] && chmod +x "$multitool"
  cp "$lock" "$dir/.stamp"
}

# Configures (once) and builds the Release tree. The first argument says whether the tree builds
# the tests (ON: scripts/test.sh, which installed Catch2) or not (OFF: scripts/run.sh and
# scripts/install.sh, which need only the `build` packages). A tree configured with tests keeps
# them; one configured without gains them when scripts/test.sh asks. The rest go to the build tool.
build_leash() {
  local tests=$1
  shift
  local cache=$LEASH_BUILD/CMakeCache.txt
  if [ ! -f "$LEASH_BUILD/build.ninja" ]; then
    cmake -S "$LEASH_ROOT" -B "$LEASH_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DLEASH_BUILD_TESTS="$tests" >&2 ||
      die "cmake configure failed"
  elif [ "$tests" = ON ] && grep -q '^LEASH_BUILD_TESTS:BOOL=OFF$' "$cache"; then
    cmake -S "$LEASH_ROOT" -B "$LEASH_BUILD" -DLEASH_BUILD_TESTS=ON >&2 || die "cmake configure failed"
  fi
  cmake --build "$LEASH_BUILD" "$@" >&2 || die "build failed"
}

# Configures (once) and builds the sanitized tree: clang 16, ASan + UBSan (-O1), the libFuzzer
# targets on. It shares the Release tree's npm sets. The rest go to the build tool.
LEASH_SANITIZED_BUILD=${LEASH_SANITIZED_BUILD:-$LEASH_ROOT/build-sanitized}
build_sanitized() {
  local dir=$LEASH_SANITIZED_BUILD release
  release=$(cd "$LEASH_BUILD" && pwd) # absolute: the links are read from inside $dir
  mkdir -p "$dir"
  ln -sfn "$release/npm-build" "$dir/npm-build"
  ln -sfn "$release/npm-test" "$dir/npm-test"
  if [ ! -f "$dir/build.ninja" ]; then
    CC=clang-16 CXX=clang++-16 cmake -S "$LEASH_ROOT" -B "$dir" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      -DLEASH_BUILD_TESTS=ON -DLEASH_FUZZ=ON >&2 || die "cmake configure failed (sanitized tree)"
  fi
  cmake --build "$dir" "$@" >&2 || die "build failed (sanitized tree)"
}
