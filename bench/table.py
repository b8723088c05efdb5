#!/usr/bin/env python3
"""Prints hyperfine results as the Markdown table docs/PERFORMANCE.md records: median time, files/s,
MB/s and each command's ratio to the reference commands (by position in the combined results).
Usage: table.py FILES BYTES REFERENCE_INDEXES RESULT.json [RESULT.json ...]
       REFERENCE_INDEXES: comma-separated, e.g. "0,1" -> columns "vs <command 0>", "vs <command 1>"."""
import json
import sys

files, size = int(sys.argv[1]), int(sys.argv[2])
references = [int(i) for i in sys.argv[3].split(",")]


def rate(x):
    """Three significant figures at most, so slow rows (a C++ unit a second) do not read as 0."""
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


runs = [r for path in sys.argv[4:] for r in json.load(open(path))["results"]]
print(f"{files} files, {size / 1e6:.1f} MB\n")
print("| command | median (s) | runs | files/s | MB/s |" + "".join(f" vs {runs[i]['command']} |" for i in references))
print("|---|---|---|---|---|" + "---|" * len(references))
for r in runs:
    t = r["median"]
    ratios = "".join(f" {t / runs[i]['median']:.2f}x |" for i in references)
    print(f"| {r['command']} | {t:.3f} | {len(r['times'])} | {rate(files / t)} | {rate(size / 1e6 / t)} |{ratios}")
