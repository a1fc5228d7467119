#!/usr/bin/env bash
# Seed corpora for the fuzz targets, generated (nothing binary is committed):
# demo-data audio and xlsx from the pelagos binary, CSV and search spaces written
# here, torch.save files from Debian's python3-torch when present.
# Usage: fuzz/make_seeds.sh PELAGOS OUT_DIR
set -euo pipefail
PELAGOS=$1; OUT=$2
rm -rf "$OUT"; mkdir -p "$OUT"/{xlsx,csv,audio,pth,search_space}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$PELAGOS" -q demo-data "$T/demo" --train-per-species 1 --validate-per-species 1 --test-per-species 1
cp "$T"/demo/*.xlsx "$OUT/xlsx/"
# Audio: the first input byte is the option selector, then the file.
i=0
for f in $(ls "$T"/demo/train/* | head -4); do
  # Keep seeds small: the first 16 KiB (a truncated file is a good seed too).
  { printf '\x0%d' $((i % 8)); head -c 16384 "$f"; } > "$OUT/audio/seed$i"; i=$((i + 1))
done
printf 'file_name,source,species_name\na.wav,x,Fin Whale\n"b,\n""c"".wav",,Orca\n' > "$OUT/csv/quoted.csv"
printf '\xef\xbb\xbffile_name;species_name\r\na.wav;Orca\r\n' > "$OUT/csv/bom_semicolon.csv"
printf 'file_name\tspecies_name\na.wav\tOrca\n' > "$OUT/csv/tabs.csv"
cat > "$OUT/search_space/original.json" <<'JSON'
{"lr": {"name": "FloatDistribution", "attributes": {"low": 1e-05, "high": 0.01, "log": true, "step": null}},
 "batch_size": {"name": "IntDistribution", "attributes": {"low": 8, "high": 64, "log": false, "step": 8}},
 "optimizer": {"name": "CategoricalDistribution", "attributes": {"choices": ["Adam", "SGD", "RMSprop"]}},
 "dropout": {"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 0.5, "log": false, "step": 0.1}}}
JSON
echo '{"epochs": {"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 64, "step": 1}}}' \
  > "$OUT/search_space/legacy.json"
# regressions: fuzz findings (decimal overflow twice, then a high that lost a step on each reload)
echo '{"dropout": {"name": "FloatDistribution", "attributes": {"low": 4.2595688e-41, "high": 0.5, "log": false, "step": 0.1}}}' \
  > "$OUT/search_space/wide_step_range.json"
echo '{"dropout": {"name": "FloatDistribution", "attributes": {"low": 4.2595688e-41, "high": 0.0008000000004, "log": false, "step": 0.1}}}' \
  > "$OUT/search_space/long_mantissa_range.json"
echo '{"dropout": {"name": "FloatDistribution", "attributes": {"low": 1.0595822277399296e-22, "high": 0.5, "log": false, "step": 0.1}}}' \
  > "$OUT/search_space/unrepresentable_high.json"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 - "$OUT/pth" <<'PY'
import sys, collections, torch
d = collections.OrderedDict(w=torch.arange(6, dtype=torch.float32).reshape(2, 3), b=torch.zeros(3, dtype=torch.float64))
d["t"] = d["w"].t()
torch.save(d, sys.argv[1] + "/zip.pth")
torch.save(d, sys.argv[1] + "/legacy.pth", _use_new_zipfile_serialization=False)
PY
fi
echo "seeds in $OUT: $(find "$OUT" -type f | wc -l) files"
