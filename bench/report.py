#!/usr/bin/env python3
"""Turns a bench/run result folder into the tables of BENCHMARKS.md: python3 bench/report.py bench/results/full-…"""
import json, re, sys, pathlib

out = pathlib.Path(sys.argv[1])
sizes = {}
for line in (out / "sizes.txt").read_text().split("\n"):
    if line.strip():
        fmt, n, size = line.split()
        sizes[(fmt, int(n))] = int(size)

rows = {}
parse = out / "parse.json"  # absent when the run skipped JMH (SKIP_JMH=yes)
for r in json.loads(parse.read_text()) if parse.exists() else []:
    name = r["benchmark"].rsplit(".", 1)[1]
    p = r["params"]
    key = (p["format"], int(p["entries"]))
    score = r["primaryMetric"]["score"]
    err = r["primaryMetric"]["scoreError"]
    rows.setdefault(key, {})[name] = (score, err)

if rows:
    print("| format | entries | doc KB | benchmark | docs/s | MB/s | entries/s | vs Rome default |")
    print("|---|---|---|---|---|---|---|---|")
for key in sorted(rows):
    fmt, n = key
    size = sizes[key]
    base = rows[key].get("romeDefault", (None,))[0]
    for name in ["romeDefault", "tributaryRomeStep", "tributaryParseStage", "tributaryParseAndFingerprints", "jdomBuild", "staxPass"]:
        if name not in rows[key]:
            continue
        score, err = rows[key][name]
        ratio = f"{score / base:.2f}x" if base else ""
        print(f"| {fmt} | {n} | {size / 1024:.0f} | {name} | {score:.1f} ± {err:.1f} | {score * size / 1e6:.1f} | "
              f"{score * n:.0f} | {ratio} |")

log = (out / "log.txt").read_text()
print()
print("```")
for line in log.split("\n"):
    if re.search(r"cycle|memory|story stage|loaded|wrk|Requests/sec|50%|99%|Non-2xx", line):
        print(line.strip())
print("```")
