#!/usr/bin/env python3
"""Writes, for every translation unit of a compile_commands.json under the given folders, the
command that only parses it with clang++-16 (-fsyntax-only, same flags): the floor a naive tool
cannot beat, and the units' sources (relative to the working directory, one a line, sorted).
Usage: cpp_commands.py COMPILE_COMMANDS.json OUT.sh SOURCES.txt FOLDER..."""
import json
import os
import shlex
import sys


def unit_command(entry):
    """A compile_commands.json entry's source (absolute) and its compiler arguments, without the
    compiler, `-c` and `-o OUT`."""
    source = os.path.abspath(os.path.join(entry["directory"], entry["file"]))
    args = entry.get("arguments") or shlex.split(entry["command"])
    kept, skip = [], False
    for arg in args[1:]:
        if skip:
            skip = False
        elif arg == "-o":
            skip = True
        elif arg != "-c":
            kept.append(arg)
    return source, kept


def main():
    database, out, sources_out = sys.argv[1:4]
    folders = [os.path.abspath(f) for f in sys.argv[4:]]
    lines, sources = [], set()
    for entry in json.load(open(database)):
        source, kept = unit_command(entry)
        if not any(source.startswith(folder + os.sep) for folder in folders):
            continue
        sources.add(os.path.relpath(source))
        # A unit with errors (a header the project's configuration left out) still costs its
        # parse.
        lines.append(f"(cd {shlex.quote(entry['directory'])} && clang++-16 -fsyntax-only -w "
                     + " ".join(shlex.quote(a) for a in kept) + " 2> /dev/null || true)")
    open(out, "w").write("\n".join(lines) + "\n")
    open(sources_out, "w").write("".join(f"{s}\n" for s in sorted(sources)))
    print(len(lines))


if __name__ == "__main__":
    main()
