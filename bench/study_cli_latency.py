#!/usr/bin/python3
"""Latency of `pelagos study ask` + `study tell` through the CLI on an on-disk SQLite study.

The like-for-like figure for Optuna is its own CLI (`optuna ask`/`optuna tell`,
shared/bench/hpo/anchor_results_optuna.md). For each N, a study on the seed space
is filled with N COMPLETE trials, then R timed ask+tell pairs run (each timed pair's
trial is told FAIL so N stays fixed, as time_optuna.py does; TPE ignores FAIL trials).

  /usr/bin/python3 bench/study_cli_latency.py --pelagos build/pelagos [--dir /tmp] [--n 20,100,500]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

# functions.py (the seed space) lives in the shared fixtures beside the checkout.
HPO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "hpo")


def call(args):
    r = subprocess.run(args, check=True, capture_output=True, text=True)
    return r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pelagos", required=True)
    ap.add_argument("--dir", default=None, help="folder for the study file (default: a temp dir in /tmp)")
    ap.add_argument("--n", default="20,100,500")
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--sampler", default="tpe")
    a = ap.parse_args()
    sys.path.insert(0, HPO_DIR)
    from functions import SEED_SPACE  # noqa: E402
    space = json.dumps(SEED_SPACE)
    rows = []
    with tempfile.TemporaryDirectory(dir=a.dir) as tmp:
        url = f"sqlite:///{tmp}/study.db"
        base = [a.pelagos, "study"]
        common = ["--storage", url, "--study-name", "lat"]
        done = 0
        for n in [int(x) for x in a.n.split(",")]:
            while done < n:
                out = call(base + ["ask"] + common + ["--search-space", space, "--sampler", a.sampler, "--seed", "0"])
                num = json.loads(out.strip().splitlines()[-1])["number"]
                call(base + ["tell"] + common + ["--trial-number", str(num), "--values", str((num * 7919) % 101 / 100)])
                done += 1
            asks, tells, cpu = [], [], []
            for _ in range(a.repeats):
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                out = call(base + ["ask"] + common + ["--search-space", space, "--sampler", a.sampler, "--seed", "0"])
                t1 = time.perf_counter()
                num = json.loads(out.strip().splitlines()[-1])["number"]
                call(base + ["tell"] + common + ["--trial-number", str(num), "--state", "fail"])
                t2 = time.perf_counter()
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append((r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1e3)
                asks.append((t1 - t0) * 1e3)
                tells.append((t2 - t1) * 1e3)
            pair = [x + y for x, y in zip(asks, tells)]
            rows.append((n, statistics.median(asks), statistics.median(tells), statistics.median(pair),
                         max(pair), statistics.median(cpu)))
    print(f"pelagos study ask/tell through the CLI, sampler {a.sampler}, seed space, "
          f"study file in {a.dir or tempfile.gettempdir()}, median of {a.repeats} pairs")
    print()
    print(f"(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; the CPU column is "
          "the user+sys time of both processes, which does not grow with other load)")
    print()
    print("| N | ms per ask | ms per tell | ms per ask+tell | max ask+tell | CPU ms per ask+tell |")
    print("|---|---|---|---|---|---|")
    for n, ask, tell, pair, worst, cpu_ms in rows:
        print(f"| {n} | {ask:.1f} | {tell:.1f} | {pair:.1f} | {worst:.1f} | {cpu_ms:.1f} |")


if __name__ == "__main__":
    main()
