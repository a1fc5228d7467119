#!/usr/bin/python3
"""pelagos next to the Python reference (../shared/reference/seed_reference), back to back.

Both sides get the same data, thread count, parameters and seeds, and run one after
the other, alternating, so machine noise hits both alike. Random init (no pretrained
weights exist here), seed frontend, clips shorter than one patch dropped, as the
reference does.

  training  the original's best parameters (1 x 4608, batch 64, RMSprop, 8 epochs),
            one run per seed per side: epoch examples/s, whole-run wall time, accuracy.
  study     the original's 20-trial TPE study (objective: validate) per sampler seed:
            wall time and best validation accuracy; pelagos on the same 20 parameter sets
            and with its own TPE, each without and with a pruner.
            Also checks that Python Optuna reads the pelagos study with the same best.

  /usr/bin/python3 bench/compare_reference.py training [--seeds 0,1,2]
  /usr/bin/python3 bench/compare_reference.py study [--seeds 0] [--runs same-params:none,tpe:median]

Writes bench/results/<mode>_vs_reference.{json,md}. Compare only on an idle machine:
the reference's 2-thread epochs slow down 5-10x when anything else runs, and the
load average is recorded with every row for that reason.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
REFERENCE = os.path.join(SHARED, "reference", "seed_reference", "seed_reference.py")
DEBIAN_PYTHON = "/usr/bin/python3"  # the interpreter with python3-torch / optuna


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def commit():
    if os.environ.get("BENCH_COMMIT"):  # when --pelagos is a copy built from another commit
        return os.environ["BENCH_COMMIT"]
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def run(cmd, log):
    """Runs cmd, appending its output to log; returns (wall seconds, child CPU seconds, load before)."""
    load = os.getloadavg()[0]
    before = os.times()
    t0 = time.monotonic()
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        subprocess.run(cmd, check=True, stdout=f, stderr=subprocess.STDOUT)
    wall = time.monotonic() - t0
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, load


def pelagos_base(args, cache):
    return [args.pelagos, "--threads", str(args.threads), "--cache-dir", cache]


FRONTEND = ["--frontend", "seed", "--short", "drop"]


def training(args, work):
    rows = []
    log = os.path.join(work, "log.txt")
    cache = os.path.join(work, "cache")
    for seed in args.seeds:
        py_out = os.path.join(work, f"py_{seed}.json")
        wall, cpu, load = run([DEBIAN_PYTHON, REFERENCE, "--data", args.data, "--single-trial", "--threads",
                               str(args.threads), "--seed", str(seed), "--out", py_out], log)
        py = json.load(open(py_out))
        rows.append({"side": "python", "seed": seed, "wall_s": wall, "cpu_s": cpu, "load": load,
                     "epoch_examples_per_s": py["train_examples_per_s"],
                     "validate_clips_per_s": py["final_eval"]["validate"]["examples_per_s"],
                     "validate": py["validate_accuracy"], "test": py["test_accuracy"]})

        for precision in args.precisions:
            model = os.path.join(work, f"m_{seed}_{precision}.pelagos")
            metrics = os.path.join(work, f"pl_{seed}_{precision}.json")
            wall, cpu, load = run(pelagos_base(args, cache) + ["train", "--data", args.data] + FRONTEND +
                                  ["--init", "random", "--seed", str(seed), "--precision", precision, "--out", model,
                                   "--json", metrics], log)
            evaluation = os.path.join(work, f"ev_{seed}_{precision}.json")
            ewall, ecpu, _ = run(pelagos_base(args, cache) + ["evaluate", "--model", model, "--data", args.data,
                                                              "--split", "test", "--precision", precision,
                                                              "--json", evaluation], log)
            m = json.load(open(metrics))["metrics"]
            # steady state: epochs after the first (which pays one-off allocations)
            per_epoch = [e["examples_per_s"] for e in m["epochs"][1:]] or [m["train_examples_per_s"]]
            # the validation pass after each epoch (conv4 + head on the cached prefix), clips per second
            validate_s = statistics.median(e["validate_seconds"] for e in m["epochs"])
            rows.append({"side": "pelagos", "precision": precision, "seed": seed, "wall_s": wall + ewall,
                         "cpu_s": cpu + ecpu, "load": load, "cold_cache": seed == args.seeds[0],
                         "epoch_examples_per_s": statistics.median(per_epoch),
                         "validate_clips_per_s": m["validate_clips"] / validate_s,
                         "validate": m["validate_accuracy"], "test": json.load(open(evaluation))["accuracy"]})
            print(json.dumps(rows[-1]), flush=True)
    return rows


def best_from_optuna(storage, study_name):
    code = ("import json, optuna, sys; optuna.logging.set_verbosity(optuna.logging.WARNING); "
            "s = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1]); "
            "print(json.dumps({'value': s.best_value, 'params': s.best_params, 'trials': len(s.trials)}))")
    r = subprocess.run([DEBIAN_PYTHON, "-c", code, storage, study_name], check=True, capture_output=True, text=True)
    return json.loads(r.stdout)


def study(args, work):
    """Per seed: the reference's study, then pelagos (a) on the reference's own 20 parameter
    sets, enqueued in the same order (same work, so the wall times compare the programs),
    and (b) with its own TPE (same seed), each with every pruner asked for."""
    rows = []
    log = os.path.join(work, "log.txt")
    for seed in args.seeds:
        if args.reference_json:  # finished reference studies (their own JSON), not rerun
            found = [path for path in args.reference_json if json.load(open(path))["args"]["seed"] == seed]
            if not found:
                sys.exit(f"--reference-json: no file has the study of seed {seed}")
            py = json.load(open(found[0]))
            if py["args"]["trials"] != args.trials:
                sys.exit(f"{found[0]}: {py['args']['trials']} trials; expected {args.trials}")
            wall, cpu = py["study_elapsed_s"], None
            load = py["environment"]["loadavg_at_start"][0]
        else:
            py_out = os.path.join(work, f"py_study_{seed}.json")
            py_db = "sqlite:///" + os.path.join(work, f"py_{seed}.db")
            wall, cpu, load = run([DEBIAN_PYTHON, REFERENCE, "--data", args.data, "--trials", str(args.trials),
                                   "--objective", "validate", "--threads", str(args.threads), "--seed", str(seed),
                                   "--storage", py_db, "--out", py_out], log)
            py = json.load(open(py_out))
        rows.append({"side": "python", "sampler": "optuna TPE", "pruner": "none", "seed": seed, "wall_s": wall,
                     "cpu_s": cpu, "load": load, "best_validate": py["best_value"], "best_params": py["best_params"],
                     "complete": py["n_complete"], "started": py["environment"]["date"],
                     "trial_seconds": [t.get("wall_time_s", t.get("duration_s")) for t in py["trials"]]})
        print(json.dumps(rows[-1]), flush=True)
        enqueue = os.path.join(work, f"py_params_{seed}.json")
        with open(enqueue, "w") as f:
            json.dump([t["params"] for t in sorted(py["trials"], key=lambda t: t["number"])], f)
        for sampler, pruner, precision in args.runs:
            rows.append(pelagos_study(args, work, log, seed, sampler, pruner, precision, enqueue))
            print(json.dumps(rows[-1]), flush=True)
            args.save(rows)  # a long comparison keeps what it measured if stopped
    return rows


def pelagos_study(args, work, log, seed, sampler, pruner, precision, enqueue):
    # PRUNER may carry settings: percentile@percentile=75@n_warmup_steps=2
    pruner_name, *pruner_options = pruner.split("@")
    tag = f"{seed}_{sampler}_{pruner.replace('@', '_').replace('=', '')}_{precision}"
    # a fresh cache per run: each study pays for decoding and the frozen prefix, as in real use
    cache = os.path.join(work, f"cache_{tag}")
    storage = "sqlite:///" + os.path.join(work, f"pl_{tag}.db")
    extra = ["--enqueue", enqueue] if sampler == "same-params" else []
    wall, cpu, load = run(pelagos_base(args, cache) + ["tune", "--data", args.data] + FRONTEND +
                          ["--init", "random", "--seed", str(seed), "--storage", storage, "--study-name", "bench",
                           "--trials", str(args.trials), "--pruner", pruner_name, "--precision", precision] + extra +
                          [a for o in pruner_options for a in ("--pruner-option", o)] +
                          ["--out", os.path.join(work, f"best_{tag}.pelagos")], log)
    trials = subprocess.run([args.pelagos, "study", "trials", "--storage", storage, "--study-name", "bench",
                             "--format", "json"], check=True, capture_output=True, text=True)
    trials = json.loads(trials.stdout)["trials"]
    optuna_view = best_from_optuna(storage, "bench")
    best = max((t for t in trials if t["state"] == "COMPLETE"), key=lambda t: t["value"])
    return {"side": "pelagos", "sampler": "reference's 20 parameter sets" if sampler == "same-params" else "pelagos TPE",
            "pruner": pruner.replace("@", " "), "precision": precision, "seed": seed, "wall_s": wall, "cpu_s": cpu, "load": load,
            "best_validate": best["value"], "best_params": best["params"],
            "complete": sum(t["state"] == "COMPLETE" for t in trials),
            "pruned": sum(t["state"] == "PRUNED" for t in trials),
            "trial_seconds": [t.get("duration_s") for t in trials],
            "optuna_reads_same_best": abs(optuna_view["value"] - best["value"]) < 1e-12
            and optuna_view["params"] == best["params"]}


def fmt_spread(values, digits=3):
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def training_table(rows):
    """One column per side (pelagos per precision), each with its ratio against the reference."""
    py = [r for r in rows if r["side"] == "python"]
    precisions = sorted({r.get("precision", "float32") for r in rows if r["side"] == "pelagos"}, reverse=True)
    pl = {p: [r for r in rows if r["side"] == "pelagos" and r.get("precision", "float32") == p] for p in precisions}
    ratios = {p: statistics.median(r["epoch_examples_per_s"] for r in pl[p]) /
              statistics.median(r["epoch_examples_per_s"] for r in py) for p in precisions}
    lines = ["| | Python reference | " + " | ".join(f"pelagos {p} | ratio" for p in precisions) + " |",
             "|---|---:|" + "---:|---:|" * len(precisions)]
    for key, label in (("epoch_examples_per_s", "train examples/s per epoch, median (range)"),
                       ("validate_clips_per_s", "validation pass, clips/s, median (range)"),
                       ("wall_s", "whole run incl. evaluation, s"),
                       ("validate", "validate accuracy"), ("test", "test accuracy")):
        digits = 3 if key in ("validate", "test") else 1
        a = [r[key] for r in py]
        cells = [fmt_spread(a, digits)]
        for p in precisions:
            b = [r[key] for r in pl[p]]
            ratio = statistics.median(b) / statistics.median(a) if key.endswith("_per_s") else (
                statistics.median(a) / statistics.median(b) if key == "wall_s" else None)
            cells += [fmt_spread(b, digits), "" if ratio is None else f"{ratio:.2f}x"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append(f"| load average at start, max | {max(r['load'] for r in py):.2f} | " +
                 " | ".join(f"{max(r['load'] for r in pl[p]):.2f} | " for p in precisions) + " |")
    return "\n".join(lines), ratios


def study_table(rows):
    lines = ["| side | trials from | pruner | precision | seed | wall s | vs Python | best validate | "
             "complete / pruned | Optuna reads same best |", "|---|---|---|---|---:|---:|---:|---:|---|---|"]
    py_wall = {r["seed"]: r["wall_s"] for r in rows if r["side"] == "python"}
    for r in rows:
        speed = py_wall[r["seed"]] / r["wall_s"] if r["side"] == "pelagos" else 1.0
        lines.append(f"| {r['side']} | {r['sampler']} | {r['pruner']} | {r.get('precision', '')} | {r['seed']} | {r['wall_s']:.0f} | {speed:.2f}x | "
                     f"{r['best_validate']:.4f} | {r['complete']} / {r.get('pruned', 0)} | "
                     f"{r.get('optuna_reads_same_best', '')} |")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mode", choices=["training", "study"])
    p.add_argument("--data", default=os.path.join(SHARED, "data", "watkins"))
    p.add_argument("--pelagos", default=os.path.join(ROOT, "build", "pelagos"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--runs", default="same-params:none,same-params:median,tpe:median,tpe:none",
                   help="study mode: pelagos runs per seed, SAMPLER:PRUNER[:PRECISION] in order; SAMPLER is "
                        "same-params (the reference's 20 parameter sets enqueued: the same work) or tpe (pelagos's "
                        "own sampler); PRUNER a name with optional @KEY=VALUE settings (percentile@percentile=75); "
                        "PRECISION float32 (default) or bfloat16")
    p.add_argument("--precisions", default="float32,bfloat16",
                   help="training mode: pelagos runs once per precision per seed")
    p.add_argument("--reference-json", default=None,
                   help="study mode: finished reference studies' JSON files (comma-separated, one per seed) used "
                        "instead of running them (their dates are recorded; only for when the machine's time is short)")
    p.add_argument("--work", default=None, help="keep intermediate files here (default: a temp dir)")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = p.parse_args()
    args.seeds = [int(s) for s in args.seeds.split(",")]
    args.runs = [tuple(r.split(":")) + (("float32",) if r.count(":") == 1 else ()) for r in args.runs.split(",")]
    if any(len(r) != 3 or r[0] not in ("same-params", "tpe") or r[2] not in ("float32", "bfloat16")
           for r in args.runs):
        p.error("--runs: expected SAMPLER:PRUNER[:PRECISION], SAMPLER same-params or tpe, PRECISION float32 or "
                "bfloat16")
    args.precisions = args.precisions.split(",")
    args.reference_json = args.reference_json.split(",") if args.reference_json else None
    work = args.work or tempfile.mkdtemp(prefix=f"pelagos-{args.mode}-")
    os.makedirs(work, exist_ok=True)
    header = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpu": cpu_model(),
              "cores": os.cpu_count(), "threads": args.threads, "commit": commit(), "data": args.data}
    base = os.path.join(args.out, f"{args.mode}_vs_reference")

    def save(rows):
        with open(base + ".json", "w") as f:
            json.dump({**header, "mode": args.mode, "rows": rows}, f, indent=2)
        if args.mode == "training":
            table, ratios = training_table(rows)
            table += "\n\nepoch speed ratio pelagos / Python: " + ", ".join(f"{r:.2f}x ({p})" for p, r in ratios.items())
        else:
            table = study_table(rows)
        with open(base + ".md", "w") as f:
            f.write(f"{header['date']}, {header['cpu']} ({header['cores']} cores), {args.threads} threads, "
                    f"commit {header['commit']}\n\n{table}\n")
        return table

    args.save = save
    rows = training(args, work) if args.mode == "training" else study(args, work)
    print(save(rows))
    print(f"work files: {work}", file=sys.stderr)


if __name__ == "__main__":
    main()
