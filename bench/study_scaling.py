#!/usr/bin/python3
"""How a study's wall time grows with the training set, and how to split 2 cores (issue #6).

Every run is the same small study on ../shared/data/watkins: TRIALS trials of the
original's best parameters with `epochs` fixed (default 4), only the learning rate
tuned, so every trial costs the same and the runs differ only in what is measured:

  scaling      1/4, 1/2 and all of the training split (stratified per species, file
               order kept; validate and test whole), one trial at a time on 2 threads;
  parallelism  the whole training split as 1 job x 2 threads (`--jobs 1`) and as
               2 jobs x 1 thread (`--jobs 2`, two processes on one SQLite study).

Each run starts with an empty cache, so it pays for decoding and the frozen prefix
as a new study does. The subsets are folders of symlinks to the split folders plus
CSV metadata, built under --work.

  /usr/bin/python3 bench/study_scaling.py [--trials 4] [--epochs 4]

Writes bench/results/study_scaling.{json,md}. Run it on an idle machine.
"""
import argparse
import csv
import json
import math
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_reference import FRONTEND, SHARED, commit, cpu_model, run  # noqa: E402

SPACE = {"lr": {"name": "FloatDistribution", "attributes": {"low": 1e-5, "high": 1e-3, "step": None, "log": True}}}


def metadata_rows(data):
    with open(os.path.join(data, "metadata.csv"), newline="") as f:
        return list(csv.DictReader(f))


def subset(rows, fraction):
    """The first ceil(fraction * n) training rows of each species, in file order."""
    by_species = {}
    for r in rows:
        by_species.setdefault(r["species_name"], []).append(r)
    keep = set()
    for group in by_species.values():
        keep.update(r["file_name"] for r in group[:max(1, math.ceil(fraction * len(group)))])
    return [r for r in rows if r["file_name"] in keep]


def make_dataset(data, rows, fraction, folder):
    os.makedirs(folder, exist_ok=True)
    for split in ("train", "validate", "test"):
        link = os.path.join(folder, split)
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(os.path.join(data, split)), link)
        split_rows = [r for r in rows if r["split"] == split]
        if split == "train":
            split_rows = subset(split_rows, fraction)
        with open(os.path.join(folder, f"{split}_metadata.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["file_name", "species_name"])
            w.writerows([r["file_name"], r["species_name"]] for r in split_rows)


def study_run(args, work, name, dataset, jobs):
    storage = "sqlite:///" + os.path.join(work, f"{name}.db")
    cmd = [args.pelagos, "--threads", "2", "--cache-dir", os.path.join(work, f"cache_{name}"), "tune",
           "--data", dataset, "--metadata-pattern", "{split}_metadata.csv"] + FRONTEND + [
           "--init", "random", "--seed", "0", "--storage", storage, "--study-name", "scaling",
           "--trials", str(args.trials), "--space", os.path.join(work, "space.json"),
           "--params", os.path.join(work, "params.json"), "--jobs", str(jobs),
           "--out", os.path.join(work, f"{name}.pelagos")]
    return run(cmd, os.path.join(work, "log.txt"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=os.path.join(SHARED, "data", "watkins"))
    p.add_argument("--pelagos", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                     "build", "pelagos"))
    p.add_argument("--trials", type=int, default=4)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--work", default=None)
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results"))
    args = p.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="pelagos-scaling-")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "space.json"), "w") as f:
        json.dump(SPACE, f)
    with open(os.path.join(work, "params.json"), "w") as f:
        json.dump({"epochs": args.epochs}, f)  # the rest: the original's best parameters
    rows = metadata_rows(args.data)
    n_train = sum(r["split"] == "train" for r in rows)
    header = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "cpu": cpu_model(), "cores": os.cpu_count(), "commit": commit(), "trials": args.trials,
              "epochs": args.epochs}
    results = []
    plan = [("train 1/4", 0.25, 1), ("train 1/2", 0.5, 1), ("train all", 1.0, 1), ("train all, --jobs 2", 1.0, 2)]
    for label, fraction, jobs in plan:
        dataset = os.path.join(work, f"data_{fraction}")
        make_dataset(args.data, rows, fraction, dataset)
        clips = len(subset([r for r in rows if r["split"] == "train"], fraction))
        wall, cpu, load = study_run(args, work, f"{fraction}_{jobs}", dataset, jobs)
        results.append({"run": label, "train_clips": clips, "jobs": jobs, "threads_per_job": 2 // jobs,
                        "wall_s": wall, "cpu_s": cpu, "load": load})
        print(json.dumps(results[-1]), flush=True)
    with open(os.path.join(args.out, "study_scaling.json"), "w") as f:
        json.dump({**header, "train_clips_total": n_train, "rows": results}, f, indent=2)
    base = next(r for r in results if r["run"] == "train all")
    lines = [f"{header['date']}, {header['cpu']} ({header['cores']} cores), commit {header['commit']}; "
             f"{args.trials} trials x {args.epochs} epochs, original's best parameters, lr tuned", "",
             "| run | train clips | jobs x threads | wall s | s per train clip | vs train all, 1 job | load at start |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['run']} | {r['train_clips']} | {r['jobs']} x {r['threads_per_job']} | {r['wall_s']:.1f} | "
                     f"{r['wall_s'] / r['train_clips']:.3f} | {base['wall_s'] / r['wall_s']:.2f}x | {r['load']:.2f} |")
    with open(os.path.join(args.out, "study_scaling.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"work files: {work}", file=sys.stderr)


if __name__ == "__main__":
    main()
