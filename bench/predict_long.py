#!/usr/bin/python3
"""`pelagos predict` on long recordings: speed (x real time) and peak memory, flat in length.

Builds 10-minute, 1-hour and 3-hour 32 kHz WAV files by concatenating the Watkins test
clips (resampled, looped), then runs `pelagos predict` on each under /usr/bin/time and
records wall time, CPU time and peak RSS. Needs Debian's python3-numpy/scipy/soundfile.

  /usr/bin/python3 bench/predict_long.py --model demo-run/best.pelagos [--lengths 600,3600,10800]

Writes bench/results/predict_long.{json,md}.
"""
import argparse
import glob
import json
import os
import subprocess
import tempfile
import time
from math import gcd

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RATE = 32000


def test_clips(data):
    chunks = []
    for f in sorted(glob.glob(os.path.join(data, "test", "*"))):
        try:
            x, sr = sf.read(f, dtype="float32", always_2d=True)
        except RuntimeError:
            continue
        g = gcd(sr, RATE)
        chunks.append(resample_poly(x.mean(axis=1), RATE // g, sr // g).astype(np.float32))
    return np.concatenate(chunks)


def write_long(path, base, seconds):
    n = seconds * RATE
    with sf.SoundFile(path, "w", RATE, 1, "PCM_16") as out:
        written = 0
        while written < n:
            k = min(len(base), n - written)
            out.write(base[:k])
            written += k


def measure(pelagos, model, wav, out_csv, threads, precision):
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", pelagos, "--threads", str(threads), "predict", "--model", model,
           wav, "--out", out_csv, "--precision", precision]
    r = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall, user, sys_, rss_kb = r.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(sys_), int(rss_kb) / 1024


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--pelagos", default=os.path.join(ROOT, "build", "pelagos"))
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "watkins"))
    p.add_argument("--lengths", default="600,3600,10800", help="seconds")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--precisions", default="float32,bfloat16", help="each length is run in each")
    p.add_argument("--work", default=None)
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = p.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="pelagos-predict-")
    base = test_clips(args.data)
    rows = []
    for seconds in (int(s) for s in args.lengths.split(",")):
        wav = os.path.join(work, f"{seconds}s.wav")
        if not os.path.exists(wav):
            write_long(wav, base, seconds)
        for precision in args.precisions.split(","):
            load = os.getloadavg()[0]
            wall, cpu, rss = measure(args.pelagos, args.model, wav, wav + ".csv", args.threads, precision)
            with open(wav + ".csv") as f:
                windows = sum(1 for _ in f) - 1
            rows.append({"seconds": seconds, "precision": precision, "windows": windows, "wall_s": wall,
                         "cpu_s": cpu, "peak_rss_mb": rss, "x_real_time": seconds / wall,
                         "x_real_time_per_cpu_s": seconds / cpu, "load": load})
            print(json.dumps(rows[-1]), flush=True)
    cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    commit = os.environ.get("BENCH_COMMIT") or subprocess.run(
        ["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    header = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpu": cpu, "cores": os.cpu_count(),
              "threads": args.threads, "commit": commit, "model": args.model}
    with open(os.path.join(args.out, "predict_long.json"), "w") as f:
        json.dump({**header, "rows": rows}, f, indent=2)
    lines = [f"{header['date']}, {cpu} ({header['cores']} cores), {args.threads} threads, commit {commit}", "",
             "| recording | precision | windows | wall s | CPU s | x real time | x real time per CPU-s | peak RSS MB | load |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['seconds'] / 60:.0f} min | {r['precision']} | {r['windows']} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
                     f"{r['x_real_time']:.0f} | {r['x_real_time_per_cpu_s']:.0f} | {r['peak_rss_mb']:.0f} | "
                     f"{r['load']:.2f} |")
    with open(os.path.join(args.out, "predict_long.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
