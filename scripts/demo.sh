#!/usr/bin/env bash
# The whole job on the embedded default, in a few minutes on 2 cores: `pelagos demo`
# writes the synthetic dataset, tunes a small study, keeps the best model, scores it
# on the test split once and writes the HTML report; it prints where everything went.
#   scripts/demo.sh [OUT_DIR] [pelagos demo flags...]     (default: ./demo-run)
set -euo pipefail
cd "$(dirname "$0")/.."
pelagos=build/pelagos
[ -x "$pelagos" ] || { echo "demo: build/pelagos is missing; run scripts/setup.sh first" >&2; exit 1; }
out=${1:-demo-run}
shift || true
exec "$pelagos" demo --out "$out" "$@"
