#!/usr/bin/env bash
# Crash safety of `pelagos tune` (issue #7): SIGKILL at KILLS seeded random moments
# (during start-up, a trial, a database write or a bundle write), resuming each
# time; then checks that every trial once seen COMPLETE is still there with its
# value, trial numbers are unique, the database passes PRAGMA integrity_check and
# the best bundle loads (`pelagos evaluate`). Then SIGINT and SIGTERM: the running
# trial ends FAIL (never left RUNNING), and tune exits 3 with a summary.
# Usage: tune_kill_test.sh PELAGOS [KILLS] [SEED]
set -euo pipefail
PELAGOS=$(realpath "$1"); KILLS=${2:-20}; SEED=${3:-7}
PY=python3
W=$(mktemp -d /tmp/pelagos-kill-XXXXXX)
pid=
# (an `a && b` whose b fails would end the script with that status under set -e)
trap 'if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi; rm -rf "$W" || true' EXIT
export GLOG_minloglevel=2 OMP_NUM_THREADS=1
RANDOM=$SEED

"$PELAGOS" -q demo-data "$W/demo" --train-per-species 2 --validate-per-species 1 --test-per-species 1 >/dev/null
echo '{"epochs": 3, "batch_size": 8}' > "$W/params.json"
cat > "$W/space.json" <<'JSON'
{"lr": {"name": "FloatDistribution", "attributes": {"low": 1e-4, "high": 1e-2, "log": true, "step": null}},
 "optimizer": {"name": "CategoricalDistribution", "attributes": {"choices": ["Adam", "SGD"]}}}
JSON
DB="$W/study.db"
# Sets CMD to the tune command line: TRIALS STUDY [extra flags]. Started as
# "${CMD[@]}" & so that $! is pelagos itself (a shell function run with & would
# be a subshell: killing it would leave pelagos running).
tune_cmd() {
  local trials=$1 study=$2; shift 2
  CMD=("$PELAGOS" --cache-dir "$W/cache" --threads 1 tune --data "$W/demo" --storage "sqlite:///$DB"
       --study-name "$study" --trials "$trials" --init random --seed 3 --trainable-layers 0
       --params "$W/params.json" --space "$W/space.json" --out "$W/$study.best.pelagos" "$@")
}
tune() { tune_cmd "$@"; "${CMD[@]}"; }
# "number value" of every COMPLETE trial of a study.
complete() {
  $PY - "$DB" "$1" <<'PYCODE'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=60)
for n, v in db.execute("""SELECT t.number, v.value FROM trials t JOIN studies s USING (study_id)
    JOIN trial_values v USING (trial_id) WHERE s.study_name = ? AND t.state = 'COMPLETE'""", (sys.argv[2],)):
    print(n, repr(v))
PYCODE
}

# ---- SIGKILL at random moments, resuming each time ------------------------
# A first, uninterrupted trial fills the feature and activation caches; a second
# tells how long a resume with one trial takes; the kills then fall anywhere in
# 1.5 x that time (start-up, loading, training, database and bundle writes).
TRIALS=$((KILLS + 10))
tune 1 kill -q >/dev/null 2>"$W/err.0" || { cat "$W/err.0"; echo "FAIL: the first trial did not run"; exit 1; }
start=$(date +%s%N)
tune 2 kill -q >/dev/null 2>"$W/err.0" || { cat "$W/err.0"; echo "FAIL: the resumed study did not run"; exit 1; }
window_ms=$(( ($(date +%s%N) - start) / 1000000 * 3 / 2 ))
echo "first trial: window for kills $window_ms ms"
complete kill > "$W/seen"
for i in $(seq 1 "$KILLS"); do
  ms=$(( (RANDOM * 32768 + RANDOM) % window_ms ))
  delay="$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
  tune_cmd "$TRIALS" kill -q
  "${CMD[@]}" >/dev/null 2>"$W/err.$i" & pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -f "$DB" ] && complete kill >> "$W/seen"
  sort -u "$W/seen" -o "$W/seen"
  echo "kill $i after ${delay}s: $(wc -l < "$W/seen") complete trial(s) seen so far"
done
tune "$TRIALS" kill -q > "$W/final.out" 2> "$W/final.err" || { cat "$W/final.err"; echo "FAIL: the resumed study did not finish"; exit 1; }
complete kill > "$W/after"
missing=$(comm -23 "$W/seen" <(sort -u "$W/after") | wc -l)
[ "$missing" -eq 0 ] || { echo "FAIL: complete trials lost or changed:"; comm -23 "$W/seen" <(sort -u "$W/after"); exit 1; }
$PY - "$DB" <<'PYCODE'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ok = db.execute("PRAGMA integrity_check").fetchone()[0]
assert ok == "ok", "integrity_check: " + ok
dups = db.execute("SELECT study_id, number, COUNT(*) FROM trials GROUP BY study_id, number HAVING COUNT(*) > 1").fetchall()
assert not dups, "duplicate trial numbers: %r" % dups
# Trials a SIGKILL interrupted stay RUNNING until their heartbeat is stale (60 s);
# the next worker then marks them FAIL. They never count as complete.
PYCODE
"$PELAGOS" --cache-dir "$W/cache" evaluate --model "$W/kill.best.pelagos" --data "$W/demo" --split test > "$W/eval.out" \
  || { echo "FAIL: the best bundle does not load"; exit 1; }
echo "SIGKILL x$KILLS: $(wc -l < "$W/seen") complete trial(s) seen before kills, all kept; $(wc -l < "$W/after") in the end; integrity ok; best bundle evaluates"

# ---- SIGINT / SIGTERM: clean stop, exit 3, summary ---------------------------
for sig in INT TERM; do
  study="stop$sig"
  tune_cmd 1000 "$study"
  "${CMD[@]}" > "$W/$sig.out" 2> "$W/$sig.err" & pid=$!
  # Wait until a trial is running after at least one finished one.
  for _ in $(seq 1 600); do
    [ -f "$DB" ] && [ "$(complete "$study" | wc -l)" -ge 1 ] && break
    sleep 0.1
  done
  sleep 0.3
  kill -"$sig" "$pid"
  set +e; wait "$pid"; code=$?; set -e
  [ "$code" -eq 3 ] || { cat "$W/$sig.err"; echo "FAIL: SIG$sig gave exit status $code, expected 3"; exit 1; }
  grep -q "interrupted by SIG$sig" "$W/$sig.err" || { cat "$W/$sig.err"; echo "FAIL: no summary after SIG$sig"; exit 1; }
  grep -q "best trial so far" "$W/$sig.out" || { cat "$W/$sig.out"; echo "FAIL: no best trial after SIG$sig"; exit 1; }
  $PY - "$DB" "$study" <<'PYCODE'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
left = db.execute("""SELECT t.number FROM trials t JOIN studies s USING (study_id)
    WHERE s.study_name = ? AND t.state = 'RUNNING'""", (sys.argv[2],)).fetchall()
assert not left, "SIG: trial left RUNNING: %r" % left
PYCODE
  echo "SIG$sig: exit 3, summary printed, no trial left RUNNING"
done
echo "PASS"
