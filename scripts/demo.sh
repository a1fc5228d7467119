#!/usr/bin/env bash
# The whole job on the embedded default, in a few minutes on 2 cores: write the
# synthetic demo dataset, summarise it, tune a small study (random-init VGGish,
# frozen extractor, small heads), keep the best model, score it on the test split.
#   scripts/demo.sh [OUT_DIR]      (default: ./demo-run)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-demo-run}
pelagos=build/pelagos
[ -x "$pelagos" ] || { echo "demo: build/pelagos is missing; run scripts/setup.sh first" >&2; exit 1; }
mkdir -p "$out"
"$pelagos" demo-data "$out/data" --force
"$pelagos" inspect --data "$out/data"
"$pelagos" --cache-dir "$out/cache" tune --data "$out/data" \
  --storage "sqlite:///$out/study.db" --study-name demo --trials 8 --seed 1 \
  --init random --trainable-layers 0 --space examples/demo_space.json --pruner median \
  --out "$out/best.pelagos"
"$pelagos" study export --storage "sqlite:///$out/study.db" --study-name demo --format csv --out "$out/trials.csv"
echo
echo "demo: dataset      $out/data"
echo "demo: study        $out/study.db (Optuna 3.1 schema; optuna.load_study(study_name='demo', storage='sqlite:///$out/study.db'))"
echo "demo: trials       $out/trials.csv"
echo "demo: best model   $out/best.pelagos"
echo "demo: next         $pelagos predict --model $out/best.pelagos $out/data/test --out $out/predictions.csv"
