#!/usr/bin/env bash
# Same set-up as scripts/run.sh, plus the test tools; builds everything and runs every test (ctest).
# Then the same suite again in a second tree built by clang with AddressSanitizer and
# UndefinedBehaviorSanitizer, with the libFuzzer targets (tests/fuzz), each fuzzing for
# LEASH_FUZZ_SECONDS (default 30). LEASH_SANITIZERS=0 skips the second tree.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_packages build test
ensure_npm_set build
ensure_npm_set test
build_leash ON
(cd "$LEASH_BUILD" && ctest --output-on-failure -j "$(nproc)")
[ "${LEASH_SANITIZERS:-1}" = 0 ] && exit 0
build_sanitized
cd "$LEASH_SANITIZED_BUILD"
ctest --output-on-failure -j "$(nproc)"
