#!/usr/bin/env python3
"""Prints how leash's time grows from a tenth of a corpus to all of it (hyperfine results named
"tenth" and "whole", or WHOLE_NAME): linear growth gives a time ratio close to the size ratio.
With --bytes, the size is the files' bytes (a tenth of the files need not be a tenth of the
bytes); otherwise it is the number of files.
Usage: growth.py RESULT.json[,RESULT.json...] TENTH_FILES WHOLE_FILES [WHOLE_NAME]
                 [--bytes TENTH_BYTES WHOLE_BYTES]"""
import json
import sys

args = sys.argv[1:]
sizes = None
if "--bytes" in args:
    at = args.index("--bytes")
    sizes = (int(args[at + 1]), int(args[at + 2]))
    del args[at:at + 3]
runs = {r["command"]: r["median"] for path in args[0].split(",")
        for r in json.load(open(path))["results"]}
tenth, whole = int(args[1]), int(args[2])
runs["whole"] = runs[args[3] if len(args) > 3 else "whole"]
ratio = runs["whole"] / runs["tenth"]
grown = whole / tenth
size = f"{grown:.1f}x the files"
if sizes:
    grown = sizes[1] / sizes[0]
    size += f" ({grown:.1f}x the bytes)"
print(f"\n- growth, leash --jobs 1: {tenth} files {runs['tenth']:.3f} s, {whole} files "
      f"{runs['whole']:.3f} s: {size} take {ratio:.1f}x the time "
      f"({ratio / grown:.2f} of linear)")
