#!/usr/bin/env python3
"""Prints how leash's time grows from a tenth of a corpus to all of it (hyperfine results named
"tenth" and "whole"): linear growth gives a time ratio close to the file ratio.
Usage: growth.py RESULT.json TENTH_FILES WHOLE_FILES"""
import json
import sys

runs = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
tenth, whole = int(sys.argv[2]), int(sys.argv[3])
ratio = runs["whole"] / runs["tenth"]
print(f"\n- growth, leash --jobs 1: {tenth} files {runs['tenth']:.3f} s, {whole} files "
      f"{runs['whole']:.3f} s: {whole / tenth:.1f}x the files take {ratio:.1f}x the time "
      f"({ratio / (whole / tenth):.2f} of linear)")
