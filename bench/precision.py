#!/usr/bin/env python3
"""Measures a rule's precision against findings judged by reading the code.

Usage: bench/precision.py RULE CHECKOUTS [LEASH]

Reads bench/precision/RULE.tsv (the judged findings) and bench/precision/RULE.repositories.tsv (the
repositories of the sample), runs LEASH (default: build/leash) with only RULE selected on each
repository checked out as CHECKOUTS/NAME (NAME: the repository's name without its owner), and
prints how many findings are judged true, judged false, and not judged (new: read them and add
them to the TSV), and which true findings are no longer reported. A finding matches a verdict by
repository, path and container; when the same container name is judged twice in a file (two
classes with a `self.items`), by the nearest line.
"""

import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def rows(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


def container_of(message):
    """The container a grow-only-container message names: `self.x`, `C.x`, `module global x`."""
    return message.split(" (a ", 1)[0]


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    rule, checkouts = argv[1], pathlib.Path(argv[2])
    leash = pathlib.Path(argv[3] if len(argv) == 4 else HERE.parent / "build" / "leash").resolve()
    verdicts = {}
    for repo, path, line, container, verdict, category, _reason in rows(
        HERE / "precision" / f"{rule}.tsv"
    ):
        if verdict not in ("TRUE", "FALSE"):
            sys.exit(f"{rule}.tsv: {repo} {path}:{line}: verdict {verdict!r} is not TRUE or FALSE")
        verdicts.setdefault((repo, path, container), []).append((int(line), verdict, category))
    counts = {"TRUE": 0, "FALSE": 0, "new": 0}
    matched = set()
    for repo, _commit, _date in rows(HERE / "precision" / f"{rule}.repositories.tsv"):
        root = checkouts / repo.split("/", 1)[1]
        if not root.is_dir():
            sys.exit(f"{root}: not checked out ({rule}.repositories.tsv names {repo})")
        run = subprocess.run(
            [leash, "check", ".", "--select", rule, "--format", "json", "--no-cache",
             "--exit-zero", "-q"],
            cwd=root, capture_output=True, text=True, check=True)
        for finding in json.loads(run.stdout)["findings"]:
            key = (repo, finding["path"], container_of(finding["message"]))
            judged = verdicts.get(key)
            if not judged:
                counts["new"] += 1
                print(f"new   {repo} {finding['path']}:{finding['line']} {key[2]}")
                continue
            line, verdict, category = min(judged, key=lambda v: abs(v[0] - finding["line"]))
            matched.add((key, line))
            counts[verdict] += 1
    lost = [(key, line) for key, judged in verdicts.items() for line, verdict, _ in judged
            if verdict == "TRUE" and (key, line) not in matched]
    for (repo, path, container), line in sorted(lost):
        print(f"lost  {repo} {path}:{line} {container} (judged true)")
    judged = counts["TRUE"] + counts["FALSE"]
    share = f"{100 * counts['TRUE'] / judged:.0f}%" if judged else "-"
    print(f"{rule}: {counts['TRUE']} of {judged} judged findings true ({share}), "
          f"{counts['new']} not judged, {len(lost)} true findings no longer reported")


if __name__ == "__main__":
    main(sys.argv)
