#!/usr/bin/env python3
"""The experiment of issue 12: how much would C++ units parse faster if the headers they share were
parsed once? For the units of a compile_commands.json under the given folders, groups them by
their flags (a precompiled header only serves units with the same ones), writes one header per
group that includes the <...> headers at least half of the group's units include (in the order
they first appear), precompiles it with clang++-16, and times each unit's `-fsyntax-only` parse
without and with `-include-pch` of it, one at a time. Prints a Markdown table.

Every unit's own preamble differs (it includes its own header first), so the per-file preamble
clangd builds would be built once per unit and shared by none: what can be shared is a prefix of
common library headers, which this measures.
Usage: cpp_pch.py COMPILE_COMMANDS.json WORK_DIR FOLDER..."""
import collections
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpp_commands import unit_command  # noqa: E402

database, work = sys.argv[1:3]
folders = [os.path.abspath(f) for f in sys.argv[3:]]
os.makedirs(work, exist_ok=True)
include = re.compile(r'^\s*#\s*include\s*<([^>]+)>')

groups = collections.defaultdict(list)  # flags -> [(directory, source)]
for entry in json.load(open(database)):
    source, kept = unit_command(entry)
    if not any(source.startswith(folder + os.sep) for folder in folders):
        continue
    flags = [arg for arg in kept if arg not in (entry["file"], source)]
    groups[tuple(flags)].append((entry["directory"], source))


def parse(directory, flags, source, extra=()):
    start = time.perf_counter()
    done = subprocess.run(["clang++-16", "-fsyntax-only", "-w", *flags, *extra, source],
                          cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start, done.returncode


units = pch_seconds = plain = shared = 0.0
failed = headers_total = 0
for index, (flags, members) in enumerate(groups.items()):
    counts = collections.Counter()
    order = []
    for _, source in members:
        seen = set()
        for line in open(source, errors="replace"):
            m = include.match(line)
            if m and m.group(1) not in seen:
                seen.add(m.group(1))
                counts[m.group(1)] += 1
                if m.group(1) not in order:
                    order.append(m.group(1))
    common = [h for h in order if counts[h] * 2 >= len(members)]
    if len(members) < 2 or not common:
        continue
    header = os.path.join(work, f"common{index}.h")
    with open(header, "w") as out:
        out.write("".join(f"#include <{h}>\n" for h in common))
    pch = header + ".pch"
    start = time.perf_counter()
    built = subprocess.run(["clang++-16", "-x", "c++-header", "-w", *flags, header, "-o", pch],
                           cwd=members[0][0], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if built.returncode != 0:
        continue
    pch_seconds += time.perf_counter() - start
    headers_total += len(common)
    for directory, source in members:
        base, code = parse(directory, flags, source)
        with_pch, code_pch = parse(directory, flags, source, ("-include-pch", pch))
        units += 1
        plain += base
        shared += with_pch
        failed += code == 0 and code_pch != 0

print(f"| units | shared headers (per group) | groups | parse, no sharing (s) "
      f"| parse with the shared PCH (s) | building the PCHs (s) | with, PCHs included |")
print("|---|---|---|---|---|---|---|")
print(f"| {int(units)} | {headers_total} | {len(groups)} | {plain:.2f} | {shared:.2f} "
      f"| {pch_seconds:.2f} | {plain / (shared + pch_seconds):.2f}x faster |")
print(f"\n- units that parse cleanly alone but fail with the PCH: {failed}")
