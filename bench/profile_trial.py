#!/usr/bin/python3
"""Where a trial's time goes: `perf record` over one `pelagos train` run (the original's best
parameters, seed frontend, Watkins, a warm cache, so the run is the epochs and their validation
passes), grouped by what the code is doing.

  /usr/bin/python3 bench/profile_trial.py [--pelagos build/pelagos] [--precisions float32,bfloat16]
                                          [--epochs 3] [--label after]

Needs perf (Debian: linux-perf). Writes bench/results/profile_trial_<label>.{json,md}.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# perf's shared-object column -> what that code does in a trial
GROUPS = [
    ("[JIT]", "oneDNN JIT kernels: convolutions, bfloat16 matrix products"),
    ("libopenblas", "OpenBLAS: float32 matrix products (the head)"),
    ("[kernel", "kernel: page faults and zeroing of fresh memory, file I/O"),
    ("libtorch_cpu", "LibTorch: element-wise ops, optimizer step, dtype casts"),
    ("libgomp", "OpenMP: threads waiting at barriers"),
    ("libdnnl", "oneDNN: primitive creation"),
]


def group_of(dso):
    for key, label in GROUPS:
        if key in dso:
            return label
    return "other (loader, libc, pelagos, audio)"


def profile(args, precision, work):
    data = os.path.join(work, f"perf_{precision}.data")
    metrics = os.path.join(work, f"train_{precision}.json")
    params = os.path.join(work, "params.json")
    with open(params, "w") as f:
        json.dump({"epochs": args.epochs}, f)
    train = [args.pelagos, "--threads", str(args.threads), "--cache-dir", os.path.join(work, "cache"), "--quiet",
             "train", "--data", args.data, "--frontend", "seed", "--short", "drop", "--init", "random", "--seed", "0",
             "--params", params, "--precision", precision, "--out", os.path.join(work, "m.pelagos")]
    subprocess.run(train, check=True, stdout=subprocess.DEVNULL)  # fills the cache: not profiled
    subprocess.run(["perf", "record", "-q", "-F", "499", "-o", data, "--"] + train + ["--json", metrics],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso", "-g", "none",
                             "--stdio"], check=True, capture_output=True, text=True).stdout
    shares = {}
    for line in report.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith("%") and not line.startswith("#"):
            g = group_of(" ".join(parts[1:]))
            shares[g] = shares.get(g, 0.0) + float(parts[0].rstrip("%"))
    epochs = json.load(open(metrics))["metrics"]["epochs"]
    return {"precision": precision, "shares_percent": shares,
            "epoch_examples_per_s": [e["examples_per_s"] for e in epochs]}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pelagos", default=os.path.join(ROOT, "build", "pelagos"))
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "watkins"))
    p.add_argument("--precisions", default="float32,bfloat16")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--label", default="current")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = p.parse_args()
    if shutil.which("perf") is None:
        sys.exit("profile_trial.py: perf is not installed; as root: apt-get install linux-perf")
    work = tempfile.mkdtemp(prefix="pelagos-profile-")
    runs = [profile(args, precision, work) for precision in args.precisions.split(",")]
    cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    header = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpu": cpu, "cores": os.cpu_count(),
              "commit": commit, "label": args.label, "load": os.getloadavg()[0]}
    with open(os.path.join(args.out, f"profile_trial_{args.label}.json"), "w") as f:
        json.dump({**header, "runs": runs}, f, indent=2)
    groups = [label for _, label in GROUPS] + ["other (loader, libc, pelagos, audio)"]
    lines = [f"{header['date']}, {cpu} ({header['cores']} cores), commit {commit} ({args.label})", "",
             "| share of CPU samples | " + " | ".join(r["precision"] for r in runs) + " |",
             "|---|" + "---:|" * len(runs)]
    for g in groups:
        lines.append(f"| {g} | " + " | ".join(f"{r['shares_percent'].get(g, 0.0):.1f}%" for r in runs) + " |")
    lines.append("| epoch examples/s (after the first) | " +
                 " | ".join(f"{sorted(r['epoch_examples_per_s'][1:])[len(r['epoch_examples_per_s'][1:]) // 2]:.1f}"
                            for r in runs) + " |")
    with open(os.path.join(args.out, f"profile_trial_{args.label}.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
