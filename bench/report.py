#!/usr/bin/env python3
"""Turns bench/run result folders into the tables of BENCHMARKS.md:
    python3 bench/report.py bench/results/full-… [more folders]
For each folder: the JMH table (when the run had JMH) and the log's measurement lines. Then, over all the folders
given, one row per kind of run (database, size, story mode): how many runs, and the median with the range of the
first cycle's time and rate, the story stage per entry, the peak resident memory, the unchanged cycle (first
request to last) and the service's CPU seconds from its start to the end of the first cycle; and, for
every size run both with clustering and without (`:off`), clustering's cost median to median."""
import json, re, statistics, sys, pathlib


def jmh_and_log(out):
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
        score = float(r["primaryMetric"]["score"])
        err = float(r["primaryMetric"]["scoreError"])  # JMH writes "NaN" for a single iteration (bench/run quick)
        rows.setdefault(key, {})[name] = (score, err)

    print(f"## {out.name}")
    if rows:
        print("| format | entries | doc KB | benchmark | docs/s | MB/s | entries/s | vs Rome default |")
        print("|---|---|---|---|---|---|---|---|")
    for key in sorted(rows):
        fmt, n = key
        size = sizes[key]
        base = rows[key].get("romeDefault", (None,))[0]
        for name in ["romeDefault", "tributaryRomeStep", "tributaryParseStage", "tributaryParseAndFingerprints",
                     "jdomBuild", "staxPass"]:
            if name not in rows[key]:
                continue
            score, err = rows[key][name]
            ratio = f"{score / base:.2f}x" if base else ""
            print(f"| {fmt} | {n} | {size / 1024:.0f} | {name} | {score:.1f} ± {err:.1f} | {score * size / 1e6:.1f} | "
                  f"{score * n:.0f} | {ratio} |")

    fingerprint = out / "fingerprint.json"  # FingerprintBench, in full runs
    if fingerprint.exists():
        print()
        print("| text | one fingerprint, µs |")
        print("|---|---|")
        for r in json.loads(fingerprint.read_text()):
            m = r["primaryMetric"]
            print(f"| {r['params']['text']} | {float(m['score']):.1f} ± {float(m['scoreError']):.1f} |")

    print()
    print("```")
    for line in (out / "log.txt").read_text().split("\n"):
        if re.search(r"cycle|memory|story stage|loaded|wrk|Requests/sec|50%|99%|Non-2xx", line):
            print(line.strip())
    print("```")
    print()


FIRST = re.compile(r"\] (\S+) first cycle: (\d+) entries in ([\d.]+) s = (\d+) entries/s, peak RSS (\d+) MB")
STORY = re.compile(r"\] (\S+) story stage: .* = ([\d.]+) ms per entry")
UNCHANGED = re.compile(r"\] (\S+) unchanged cycle: .*\"spanMillis\":(\d+)")
CPU = re.compile(r"\] (\S+) CPU seconds by thread since start: all ([\d.]+)")


def runs(folders):
    """Every first cycle of these folders, by run name (h2-200x50, h2-200x50-off, …), in the order they ran."""
    by_name = {}
    for out in folders:
        current = {}
        for line in (out / "log.txt").read_text().split("\n"):
            m = FIRST.search(line)
            if m:
                run = {"seconds": float(m.group(3)), "rate": int(m.group(4)), "rss": int(m.group(5))}
                by_name.setdefault(m.group(1), []).append(run)
                current[m.group(1)] = run
                continue
            for pattern, field in ((STORY, "story_ms"), (UNCHANGED, "unchanged_ms"), (CPU, "cpu")):
                m = pattern.search(line)
                if m and m.group(1) in current:
                    current[m.group(1)][field] = float(m.group(2))
    return by_name


def spread(values, fmt):
    if not values:
        return "—"
    if len(values) == 1:
        return fmt.format(values[0])
    return (fmt.format(statistics.median(values)) + " [" + fmt.format(min(values)) + "–" + fmt.format(max(values))
            + "]")


def medians(folders):
    by_name = runs(folders)
    print(f"## Medians over {len(folders)} folder(s) [range]")
    print("| run | runs | first cycle s | entries/s | story stage ms | peak RSS MB | unchanged cycle ms | CPU s since start |")
    print("|---|---|---|---|---|---|---|---|")
    for name in sorted(by_name):
        rs = by_name[name]
        col = lambda f: [r[f] for r in rs if f in r]
        print(f"| {name} | {len(rs)} | {spread(col('seconds'), '{:.2f}')} | {spread(col('rate'), '{:.0f}')} | "
              f"{spread(col('story_ms'), '{:.3f}')} | {spread(col('rss'), '{:.0f}')} | "
              f"{spread(col('unchanged_ms'), '{:.0f}')} | {spread(col('cpu'), '{:.1f}')} |")
    for name in sorted(by_name):
        off = by_name.get(name + "-off")
        if off and not name.endswith("-off"):
            near = statistics.median(r["seconds"] for r in by_name[name])
            base = statistics.median(r["seconds"] for r in off)
            print(f"\nclustering's cost, {name}: {near:.2f} s against {base:.2f} s with it off, "
                  f"{(near / base - 1) * 100:+.0f}% median to median ({len(by_name[name])} and {len(off)} runs)")


if __name__ == "__main__":
    folders = [pathlib.Path(a) for a in sys.argv[1:]]
    if not folders:
        sys.exit(__doc__)
    for out in folders:
        jmh_and_log(out)
    medians(folders)
