#!/usr/bin/python3
"""Frontend throughput: native-rate audio files -> log-mel patches.

Measures, back to back on one machine, over every Watkins train file
(FLAC, 8-166 kHz, from ../shared/data/watkins):

  pelagos  `pelagos features` with a fresh --cache-dir (cold: decode + resample
           + log-mel + cache write) for --threads 1 and 2, vggish and seed
           frontends, then the same command again on the filled cache (warm).
  python   the reference's per-clip loading + seed frontend
           (seed_frontend.load_audio + seed_logmel, as seed_reference.py calls
           them) with torch.set_num_threads(1) and (2).

Each configuration runs --reps times (default 3); medians are reported.
"pipeline" times are measured inside the process (pelagos: its own summary
line; python: around the per-file loop), so LibTorch / interpreter start-up is
excluded; "process" times include it. Throughput is seconds of audio per
second of wall time, and per core (divided by the thread count).

Writes bench/results/frontend.json and bench/results/frontend.md.
Usage: /usr/bin/python3 bench/frontend_throughput.py [--build build] [--reps 3]
"""
import argparse
import csv
import datetime
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SUMMARY = re.compile(r"features: ([0-9.]+) s wall, ([0-9.]+) s CPU, ([0-9.]+) s of audio decoded; worker CPU: hash ([0-9.]+) s, "
                     r"cache ([0-9.]+) s, decode\+resample ([0-9.]+) s, frontend ([0-9.]+) s")


def run_timed(cmd, env=None):
    """Runs cmd; returns (wall_s, cpu_s of the child, stdout, stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd[:6])} ...\n{p.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.stdout, p.stderr


def machine_info():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return {"cpu_model": model, "cores": os.cpu_count(), "date": datetime.datetime.utcnow().isoformat(timespec="seconds") + "Z",
            "git_commit": commit + ("-dirty" if dirty else ""), "loadavg_start": os.getloadavg()}


def pelagos_run(exe, files, frontend, threads, cache_dir, no_cache=False):
    cmd = [exe, "-v", "--cache-dir", cache_dir, "--threads", str(threads), "features", "--frontend", frontend,
           "--out", os.path.join(cache_dir, "..", "out.npy")] + (["--no-cache"] if no_cache else []) + files
    wall, cpu, _, err = run_timed(cmd)
    m = SUMMARY.search(err)
    if not m:
        sys.exit(f"no summary line in pelagos output:\n{err}")
    keys = ["pipeline_s", "pipeline_cpu_s", "decoded_audio_s", "hash_s", "cache_s", "decode_s", "frontend_s"]
    rec = dict(zip(keys, map(float, m.groups())))
    rec.update({"process_s": wall, "cpu_s": cpu, "loadavg": os.getloadavg()[0]})
    return rec


def python_run(files, threads, reference):
    cmd = ["/usr/bin/python3", os.path.join(HERE, "seed_reference_frontend.py"), "--reference", reference,
           "--threads", str(threads)] + files
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    wall, cpu, out, _ = run_timed(cmd, env=env)
    rec = json.loads(out.strip().splitlines()[-1])
    return {"pipeline_s": rec["loop_s"], "pipeline_cpu_s": rec["loop_cpu_s"], "process_s": wall, "cpu_s": cpu,
            "loadavg": os.getloadavg()[0]}


def summarise(name, threads, runs, audio_s):
    med = lambda k: statistics.median(r[k] for r in runs)
    pipeline, pipeline_cpu, process = med("pipeline_s"), med("pipeline_cpu_s"), med("process_s")
    return {"name": name, "threads": threads, "reps": len(runs), "median_pipeline_s": pipeline,
            "median_pipeline_cpu_s": pipeline_cpu, "median_process_s": process, "median_cpu_s": med("cpu_s"),
            "x_realtime_pipeline": audio_s / pipeline, "x_realtime_per_core_pipeline": audio_s / pipeline / threads,
            "x_realtime_per_cpu_s": audio_s / pipeline_cpu, "x_realtime_process": audio_s / process,
            "runs": runs}


def markdown(info, audio_s, nfiles, summaries, ratios):
    lines = [
        f"Frontend throughput, {nfiles} Watkins train files ({audio_s:.1f} s of audio, FLAC at native rates "
        f"8-166 kHz -> 16 kHz patches). {info['cpu_model']}, {info['cores']} cores, {info['date']}, "
        f"commit {info['git_commit'][:12]}, load average at start {info['loadavg_start'][0]:.2f} "
        "(shared machine: wall times are upper bounds). Cold runs write into fresh cache folders, none deleted "
        "before the end of the benchmark. Medians of "
        f"{summaries[0]['reps']} runs. *pipeline*: inside the process (start-up excluded); *process*: whole command.",
        "",
        "| what | threads | pipeline wall s | x real time | x real time per core (wall) | pipeline CPU s | "
        "x real time per CPU-s | process wall s | process CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summaries:
        lines.append(f"| {s['name']} | {s['threads']} | {s['median_pipeline_s']:.3f} | {s['x_realtime_pipeline']:.0f} | "
                     f"{s['x_realtime_per_core_pipeline']:.0f} | {s['median_pipeline_cpu_s']:.3f} | "
                     f"{s['x_realtime_per_cpu_s']:.0f} | {s['median_process_s']:.2f} | {s['median_cpu_s']:.2f} |")
    def verdict(rows):
        best_cpu = max(x["x_realtime_per_cpu_s"] for x in rows)
        best_wall = max(x["x_realtime_per_core_pipeline"] for x in rows)
        word = "met" if best_wall >= 1000 else ("met per CPU second only" if best_cpu >= 1000 else "not met")
        return f"**{word}** (best {best_wall:.0f}x per core in wall time, {best_cpu:.0f}x per CPU second)"

    uncached = [x for x in summaries if x["name"] == "pelagos vggish, no cache"]
    cold = [x for x in summaries if x["name"] == "pelagos vggish, cold cache"]
    if uncached:
        lines += ["", "Target >= 1000x real time per core for decoding + resampling + log-mel (vggish, native-rate "
                  f"files, `--no-cache`): {verdict(uncached)}."]
    if cold:
        lines += ["", "With pelagos's feature cache filled on the way (hashing the files, writing the cache "
                  f"entries; every later run reads them instead): {verdict(cold)}."]
    lines += ["", "Speed-up of pelagos over the Python reference (python time / pelagos time, pipeline medians; "
              "below 1 means pelagos is slower):", ""]
    for r in ratios:
        lines.append(f"- {r['what']}, {r['threads']} thread(s): {r['ratio']:.1f}x wall, {r['cpu_ratio']:.1f}x CPU")
    lines += ["", "Where pelagos spends its worker CPU time (medians, seconds, all files):", "",
              "| what | threads | hash files | cache read/write | decode + resample | frontend | pipeline CPU |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for s in summaries:
        if not s["name"].startswith("pelagos"):
            continue
        med = lambda k: statistics.median(r[k] for r in s["runs"])
        lines.append(f"| {s['name']} | {s['threads']} | {med('hash_s'):.3f} | {med('cache_s'):.3f} | "
                     f"{med('decode_s'):.3f} | {med('frontend_s'):.3f} | {med('pipeline_cpu_s'):.3f} |")
    lines += ["", "Cold-cache cache read/write time is mostly the kernel creating entry files and fan-out folders "
              "(ext4 inode allocation, slower for a while after many files were deleted); it varies several-fold "
              "between runs on a shared machine."]
    py = {s["threads"]: s for s in summaries if s["name"].startswith("python")}
    if 1 in py and 2 in py and py[2]["median_pipeline_s"] > 2 * py[1]["median_pipeline_s"]:
        lines += ["", "The Python reference is much slower with 2 torch threads than with 1: its per-clip tensors "
                  "are too small to split, and OpenMP threads spin-wait for a core on a loaded machine."]
    lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--shared", default=os.path.join(REPO, "..", "shared"))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--render", action="store_true", help="only rewrite frontend.md from frontend.json")
    args = ap.parse_args()
    if args.render:
        with open(os.path.join(args.out, "frontend.json")) as f:
            r = json.load(f)
        md = markdown(r["machine"], r["audio_s"], r["files"], r["summaries"], r["ratios"])
        with open(os.path.join(args.out, "frontend.md"), "w") as f:
            f.write(md)
        print(md)
        return

    exe = os.path.join(args.build, "pelagos")
    root = os.path.join(args.shared, "data", "watkins")
    reference = os.path.join(args.shared, "reference")
    with open(os.path.join(root, "metadata.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r["split"] == "train"]
    files = [os.path.join(root, "train", r["file_name"]) for r in rows]
    audio_s = sum(float(r["duration_s"]) for r in rows)
    info = machine_info()

    summaries = []
    work = tempfile.mkdtemp(prefix="pelagos-bench-")
    try:
        for threads in args.threads:
            for frontend in ("vggish", "seed"):
                cold, warm, uncached = [], [], []
                for rep in range(args.reps):
                    cache = os.path.join(work, f"cache-{frontend}-{threads}-{rep}")
                    cold.append(pelagos_run(exe, files, frontend, threads, cache))
                    if frontend == "vggish":
                        warm.append(pelagos_run(exe, files, frontend, threads, cache))
                        # the target's pipeline alone: decoding + resampling + log-mel, no hashing or cache files
                        uncached.append(pelagos_run(exe, files, frontend, threads, cache, no_cache=True))
                    # Caches are kept until the end: ext4 skips inodes freed seconds
                    # earlier, so deleting ~500 files right before the next cold run
                    # made its cache writes 2-6x slower than a user's would be.
                summaries.append(summarise(f"pelagos {frontend}, cold cache", threads, cold, audio_s))
                if warm:
                    summaries.append(summarise(f"pelagos {frontend}, warm cache", threads, warm, audio_s))
                if uncached:
                    summaries.append(summarise(f"pelagos {frontend}, no cache", threads, uncached, audio_s))
                print(f"pelagos {frontend} threads={threads} done", file=sys.stderr)
            py = [python_run(files, threads, reference) for _ in range(args.reps)]
            summaries.append(summarise("python reference: load_audio + seed_logmel", threads, py, audio_s))
            print(f"python threads={threads} done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    by = {(s["name"], s["threads"]): s for s in summaries}
    ratios = []
    for threads in args.threads:
        py = by[("python reference: load_audio + seed_logmel", threads)]
        for name in ("pelagos seed, cold cache", "pelagos vggish, cold cache", "pelagos vggish, warm cache"):
            ours = by[(name, threads)]
            ratios.append({"what": f"{name} vs python reference", "threads": threads,
                           "ratio": py["median_pipeline_s"] / ours["median_pipeline_s"],
                           "cpu_ratio": py["median_pipeline_cpu_s"] / ours["median_pipeline_cpu_s"]})
    info["loadavg_end"] = os.getloadavg()
    result = {"machine": info, "files": len(files), "audio_s": audio_s, "summaries": summaries, "ratios": ratios,
              "target_x_realtime_per_core": 1000}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "frontend.json"), "w") as f:
        json.dump(result, f, indent=2)
    md = markdown(info, audio_s, len(files), summaries, ratios)
    with open(os.path.join(args.out, "frontend.md"), "w") as f:
        f.write(md)
    print(md)


if __name__ == "__main__":
    main()
