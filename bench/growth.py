#!/usr/bin/env python3
"""Prints how leash's time grows from a tenth of a corpus to all of it (hyperfine results named
"tenth" and "whole", or WHOLE_NAME): linear growth gives a time ratio close to the file ratio.
Usage: growth.py RESULT.json[,RESULT.json...] TENTH_FILES WHOLE_FILES [WHOLE_NAME]"""
import json
import sys

runs = {r["command"]: r["median"] for path in sys.argv[1].split(",")
        for r in json.load(open(path))["results"]}
tenth, whole = int(sys.argv[2]), int(sys.argv[3])
runs["whole"] = runs[sys.argv[4] if len(sys.argv) > 4 else "whole"]
ratio = runs["whole"] / runs["tenth"]
print(f"\n- growth, leash --jobs 1: {tenth} files {runs['tenth']:.3f} s, {whole} files "
      f"{runs['whole']:.3f} s: {whole / tenth:.1f}x the files take {ratio:.1f}x the time "
      f"({ratio / (whole / tenth):.2f} of linear)")
