#!/usr/bin/env python3
"""Robustness test: leash must never crash, hang or report an internal error on broken input.
Mutates every fixture (YAML, Python, C++) with deletions, splices, stray punctuation and random
bytes, with a fixed seed, and runs `leash check` on each result. Usage: mutation_fuzz.py LEASH_BINARY [CASES_PER_FIXTURE]"""
import glob
import os
import random
import subprocess
import sys
import tempfile

leash = sys.argv[1]
cases = int(sys.argv[2]) if len(sys.argv) > 2 else 20
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
fixtures = sorted(p for p in glob.glob(os.path.join(root, "**", "*"), recursive=True)
                  if p.endswith((".py", ".yaml", ".yml", ".cpp")) and not p.endswith(".leash.yaml"))
punctuation = b"()[]{}:=,.@*-&!|>'\"#\\\n\t "
rng = random.Random(20261122)
failures = 0
with tempfile.TemporaryDirectory() as work:
    for fixture in fixtures:
        original = open(fixture, "rb").read()
        name = os.path.basename(fixture)
        # A C++ case is a compile (~0.3 s): fewer of them.
        for _ in range(max(1, cases // 4) if name.endswith(".cpp") else cases):
            text = bytearray(original)
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(len(text) + 1)
                end = min(len(text), at + rng.randint(0, 40))
                op = rng.random()
                if op < 0.4:
                    del text[at:end]
                elif op < 0.7:
                    text[at:at] = original[rng.randrange(len(original) + 1):][: end - at]
                elif op < 0.85:
                    text[at:at] = bytes(rng.choice(punctuation) for _ in range(rng.randint(1, 5)))
                else:
                    text[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
            case = os.path.join(work, name)
            with open(case, "wb") as f:
                f.write(text)
            try:
                run = subprocess.run([leash, "check", case, "--quiet", "--no-cache"], capture_output=True,
                                     timeout=20)
            except subprocess.TimeoutExpired:
                run = None
            if run is None or run.returncode not in (0, 1) or b"internal error" in run.stdout + run.stderr:
                failures += 1
                kept = os.path.join(tempfile.gettempdir(), f"leash-fuzz-{failures}-{name}")
                with open(kept, "wb") as f:
                    f.write(text)
                print(f"FAILED on a mutation of {fixture} (kept as {kept}):",
                      "timeout" if run is None else f"exit {run.returncode} {run.stderr[-300:]!r}")
total = sum(max(1, cases // 4) if f.endswith(".cpp") else cases for f in fixtures)
print(f"{total - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
