#!/usr/bin/env bash
# Validation and test accuracy on ../shared/data/watkins with and without
# denoising and augmentation, several seeds (issue #10). To keep it affordable on
# a shared 2-core CPU: one random-init VGGish (--init random --seed 0) kept
# frozen (--trainable-layers 0), the original's best params except neurons 512
# (its 4608-wide head trains at ~12 ex/s here); the seed varies the head's
# initialisation, shuffling, dropout and every augmentation draw.
# Usage: bench/augment/watkins_accuracy.sh OUT_DIR [SEEDS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?OUT_DIR}; shift
seeds=${*:-0 1 2}
data=../shared/data/watkins
mkdir -p "$out"
# after the frozen prefix (no extra feature pass) / on raw audio (cached variants) / both
activations="--specaugment-p 0.5 --mixup-p 0.5"
raw="--variants 2 --noise-p 0.5 --gain-p 0.5 --shift-p 0.5 --speed-p 0.5"
names="baseline denoise activation-augment raw-audio-augment augment denoise+augment"
declare -A configs=(
  [baseline]=""
  [denoise]="--denoise spectral-gate"
  [activation-augment]="$activations"
  [raw-audio-augment]="$raw"
  [augment]="$activations $raw"
  [denoise+augment]="--denoise spectral-gate $activations $raw"
)
for seed in $seeds; do
  echo "{\"seed\": $seed, \"neurons\": 512}" > "$out/params-$seed.json"
  for name in $names; do
    model="$out/$name-$seed.pelagos"
    [ -f "$out/$name-$seed.test.json" ] && continue
    # shellcheck disable=SC2086
    build/pelagos train --data "$data" --init random --seed 0 --trainable-layers 0 \
      --params "$out/params-$seed.json" --augment-seed "$seed" ${configs[$name]} --out "$model" \
      >"$out/$name-$seed.train.txt" 2>"$out/$name-$seed.train.log"
    build/pelagos evaluate --model "$model" --data "$data" --split test --json "$out/$name-$seed.test.json" \
      >"$out/$name-$seed.test.txt" 2>>"$out/$name-$seed.train.log"
    echo "$name seed $seed: $(cat "$out/$name-$seed.train.txt" | tr '\n' ' ') test: $(grep -m1 -i accuracy "$out/$name-$seed.test.txt")"
  done
done
