#!/usr/bin/env bash
# Every benchmark in one command, after scripts/setup.sh. Each writes its own
# bench/results/<name>.{json,md} (machine, date, commit, and the reference
# measured in the same run); bench/results/run_all.md lists what ran and how long.
#
#   bench/run_all.sh            # ~25 min on 2 cores: micro, frontend, study CLI, storage,
#                               # training vs the Python reference, study scaling and
#                               # --jobs, long-recording predict (float32 and bfloat16)
#   RUN_STUDY=1 bench/run_all.sh  # + the 20-trial study vs the Python reference (~80 min more)
#
# Run it on an otherwise idle machine: the Python reference's 2-thread epochs slow
# down several times when anything else runs (each result records the load average).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PELAGOS=${PELAGOS:-$BUILD/pelagos}
PY=/usr/bin/python3  # Debian's interpreter: python3-torch, optuna, numpy, soundfile
RESULTS=bench/results
WORK=$(mktemp -d /tmp/pelagos-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$RESULTS"
export GLOG_minloglevel=2 OMP_WAIT_POLICY=PASSIVE

[ -x "$PELAGOS" ] || { echo "run_all: $PELAGOS not found; run scripts/setup.sh first" >&2; exit 1; }
[ -d ../shared/data/watkins ] || { echo "run_all: ../shared/data/watkins not found beside the checkout" >&2; exit 1; }

log="$RESULTS/run_all.md"
{
  echo "# bench/run_all.sh"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" \
       "($(nproc) cores), commit $(git rev-parse --short HEAD)"
  echo
  echo "| step | seconds | status |"
  echo "|---|---:|---|"
} > "$log"

step() {  # step NAME COMMAND...
  local name=$1; shift
  echo "== $name: $*" >&2
  local t0=$SECONDS status=ok
  "$@" || status="failed ($?)"
  echo "| $name | $((SECONDS - t0)) | $status |" >> "$log"
}

step micro "$BUILD/pelagos_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out="$RESULTS/micro.json" --benchmark_out_format=json
step frontend $PY bench/frontend_throughput.py --build "$BUILD" --reps 3
step study_cli sh -c "$PY bench/study_cli_latency.py --pelagos '$PELAGOS' --dir '$WORK' > '$RESULTS/study_cli_latency.md'"
step storage $PY bench/storage_overhead.py --worker "$BUILD/pelagos_storage_worker" --json "$RESULTS/storage.json"
step training $PY bench/compare_reference.py training --pelagos "$PELAGOS" --seeds 0,1,2
step scaling $PY bench/study_scaling.py --pelagos "$PELAGOS" --work "$WORK/scaling"

# A model for predict: its speed and memory depend on the network, not on how well it learned.
"$PELAGOS" --quiet demo-data "$WORK/demo" --force >/dev/null
echo '{"epochs": 2}' > "$WORK/params.json"
"$PELAGOS" --quiet --cache-dir "$WORK/cache" train --data "$WORK/demo" --init random --seed 0 \
  --trainable-layers 0 --params "$WORK/params.json" --out "$WORK/demo.pelagos" >/dev/null
step predict $PY bench/predict_long.py --pelagos "$PELAGOS" --model "$WORK/demo.pelagos" --work "$WORK"

if [ "${RUN_STUDY:-0}" = 1 ]; then
  step study $PY bench/compare_reference.py study --pelagos "$PELAGOS" --seeds 0 \
    --runs same-params:none,same-params:median,same-params:none:bfloat16,same-params:median:bfloat16,tpe:median:bfloat16
fi
cat "$log"
