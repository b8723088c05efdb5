# Helpers shared by the benchmarks (sourced after scripts/lib.sh).

# Instructions a command executes (callgrind): wall-clock times on a shared machine drift by
# 10-20% between runs; instruction counts do not.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/Collected/ {print $4}'
}

# Peak resident memory of a command, in KiB.
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }

# Total size in bytes of the regular files under DIR named like PATTERN (default: every file).
bytes_under() { find "$1" -type f -name "${2:-*}" -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
