#!/usr/bin/python3
"""Storage overhead of distributed tuning: PostgreSQL vs SQLite (issue #8).

1. Sampler + storage overhead per trial: one ask + tell round trip (TPE on a
   3-parameter space, and random to show the storage alone) on a study that
   already holds N = 100 and 1000 COMPLETE trials, on an SQLite file and on a
   PostgreSQL server on this machine (loopback TCP).
2. Database load: 32 lightweight worker processes run one study (optimize()
   with a shared budget, a synthetic objective that costs nothing) to 1000
   trials: throughput, tell+ask latency seen by the workers, and the CPU time
   the PostgreSQL server spent.

Starts its own PostgreSQL server (initdb into a temp folder, loopback port;
as root it runs the server as user postgres) and removes it afterwards.

  /usr/bin/python3 bench/storage_overhead.py --worker build/pelagos_storage_worker [--json out.json]
      [--synchronous-commit off --skip-load]   (PostgreSQL without waiting for the WAL flush)
"""
import argparse
import glob
import json
import os
import pwd
import shutil
import socket
import statistics
import subprocess
import tempfile
import time


def pg_bin():
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    if os.environ.get("PELAGOS_PG_BIN"):
        return os.environ["PELAGOS_PG_BIN"]
    if not dirs:
        raise SystemExit("PostgreSQL's server binaries are not installed (apt-get install postgresql)")
    return dirs[-1]


class Server:
    def __init__(self, synchronous_commit):
        self.dir = tempfile.mkdtemp(prefix="pelagos-pg-")
        self.prefix = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.bin = pg_bin()
        data = os.path.join(self.dir, "data")
        subprocess.run(self.prefix + [f"{self.bin}/initdb", "-D", data, "-U", "pelagos", "-A", "trust",
                                      "--no-sync", "-E", "UTF8", "--locale=C"], check=True, capture_output=True)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        # fsync on, as a real study server runs; synchronous_commit "on" waits
        # for the WAL flush at every commit, "off" shows the cost without it.
        with open(os.path.join(data, "postgresql.auto.conf"), "a") as f:
            f.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.dir}'\nmax_connections = 100\n"
                    f"synchronous_commit = {synchronous_commit}\n")
        subprocess.run(self.prefix + [f"{self.bin}/pg_ctl", "-D", data, "-l", os.path.join(self.dir, "log"),
                                      "-w", "start"], check=True, capture_output=True)
        self.data = data

    def createdb(self, name):
        subprocess.run([f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "pelagos", name],
                       check=True)
        return f"postgresql://pelagos@127.0.0.1:{self.port}/{name}"

    def commits(self, url):
        """Transactions committed so far in the database of `url` (statistics lag up to 1 s)."""
        time.sleep(1.1)
        r = subprocess.run([f"{self.bin}/psql", "-At", url, "-c",
                            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"],
                           check=True, capture_output=True, text=True)
        return int(r.stdout)

    def cpu_seconds(self):
        """User + system CPU of every server process (postmaster and backends)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                with open(stat) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                with open(stat.replace("stat", "cmdline"), "rb") as f:
                    cmd = f.read()
            except OSError:
                continue
            if self.data.encode() in cmd or b"postgres: " in cmd and str(self.port).encode() in cmd:
                total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        return total / tick

    def close(self):
        subprocess.run(self.prefix + [f"{self.bin}/pg_ctl", "-D", self.data, "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def worker(args, url, study, *rest):
    r = subprocess.run([args.worker, url, study, *map(str, rest)], check=True, capture_output=True, text=True)
    return json.loads(r.stdout)


def round_trip(args, url, study, n, sampler):
    worker(args, url, study, "fill", n)
    pg = url.startswith("postgresql")
    before = server.commits(url) if pg else 0
    r = worker(args, url, study, "time", args.repeats, sampler)
    out = {"median_ms": statistics.median(r["wall_ms"]), "cpu_ms_per_pair": r["cpu_ms"] / r["n"]}
    if pg:  # minus the worker's own start (loading the study)
        out["commits_per_pair"] = (server.commits(url) - before) / r["n"]
    return out


def load(args, url, n_workers, budget):
    cpu0 = server.cpu_seconds()
    t0 = time.monotonic()
    procs = [subprocess.Popen([args.worker, url, "load", "work", str(budget), "tpe"], stdout=subprocess.PIPE,
                              text=True) for _ in range(n_workers)]
    outs = [json.loads(p.communicate()[0]) for p in procs]
    wall = time.monotonic() - t0
    cpu = server.cpu_seconds() - cpu0
    gaps = sorted(g for o in outs for g in o["wall_ms"])
    return {"workers": n_workers, "trials": budget, "wall_s": wall, "trials_per_s": budget / wall,
            "tell_ask_median_ms": statistics.median(gaps), "tell_ask_p95_ms": gaps[int(0.95 * len(gaps))],
            "server_cpu_s": cpu, "server_cpu_ms_per_trial": 1000 * cpu / budget,
            "worker_cpu_s": sum(o["cpu_ms"] for o in outs) / 1000}


def main():
    global server
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", required=True, help="build/pelagos_storage_worker")
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--n", default="100,1000")
    ap.add_argument("--workers", type=int, default=32)
    ap.add_argument("--budget", type=int, default=1000)
    ap.add_argument("--synchronous-commit", default="on", choices=["on", "off"])
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    server = Server(args.synchronous_commit)
    tmp = tempfile.mkdtemp(prefix="pelagos-sqlite-")
    results = {"round_trip": [], "load": []}
    try:
        for n in map(int, args.n.split(",")):
            for sampler in ("tpe", "random"):
                for backend in ("postgresql",) if args.synchronous_commit == "off" else ("sqlite", "postgresql"):
                    name = f"{backend}_{sampler}_{n}"
                    url = f"sqlite:///{tmp}/{name}.db" if backend == "sqlite" else server.createdb(name)
                    r = round_trip(args, url, name, n, sampler)
                    r.update(backend=backend, sampler=sampler, n=n)
                    results["round_trip"].append(r)
                    print(json.dumps(r), flush=True)
        for backend in () if args.skip_load else ("postgresql", "sqlite"):
            url = server.createdb("load") if backend == "postgresql" else f"sqlite:///{tmp}/load.db"
            r = load(args, url, args.workers, args.budget)
            r["backend"] = backend
            if backend == "sqlite":
                r.pop("server_cpu_s")
                r.pop("server_cpu_ms_per_trial")
            results["load"].append(r)
            print(json.dumps(r), flush=True)
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
