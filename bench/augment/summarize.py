#!/usr/bin/env python3
"""Markdown table of bench/augment/watkins_accuracy.sh results: mean, std and
per-seed values of validate and test accuracy per configuration."""
import glob
import json
import os
import re
import statistics
import sys

out = sys.argv[1]
rows = {}
for path in sorted(glob.glob(os.path.join(out, "*.test.json"))):
    name, seed = re.match(r"(.+)-(\d+)\.test\.json$", os.path.basename(path)).groups()
    with open(os.path.join(out, f"{name}-{seed}.train.txt")) as f:
        val = float(re.search(r"validate accuracy: ([0-9.]+)", f.read()).group(1))
    with open(path) as f:
        test = json.load(f)["accuracy"]
    rows.setdefault(name, []).append((int(seed), val, test))


def spread(values):
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


print("| configuration | seeds | validate accuracy (mean ± sd) | test accuracy (mean ± sd) | per seed (validate / test) |")
print("|---|---:|---:|---:|---|")
for name in ["baseline", "denoise", "activation-augment", "raw-audio-augment", "augment", "denoise+augment"]:
    if name not in rows:
        continue
    r = sorted(rows[name])
    per = ", ".join(f"{v:.3f} / {t:.3f}" for _, v, t in r)
    print(f"| {name} | {len(r)} | {spread([v for _, v, _ in r])} | {spread([t for _, _, t in r])} | {per} |")
