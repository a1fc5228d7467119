#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang + ASan + UBSan) in build-fuzz/ and
# runs each for SECONDS (default 60) from a generated seed corpus. A crash, a
# leak, a UBSan report or a non-pelagos exception fails the run and leaves the
# input in build-fuzz/findings/. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}; shift || true
TARGETS=${*:-xlsx csv audio pth search_space}
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
[ -f build-fuzz/CMakeCache.txt ] || CC=clang CXX=clang++ cmake -S fuzz -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)"
cmake --build build-fuzz -j"$(nproc)"
[ -x build/pelagos ] || { echo "scripts/fuzz.sh: build/pelagos is needed for the seeds; run scripts/test.sh first"; exit 1; }
fuzz/make_seeds.sh build/pelagos build-fuzz/seeds
mkdir -p build-fuzz/findings build-fuzz/corpus
for t in $TARGETS; do
  mkdir -p "build-fuzz/corpus/$t"
  echo "== $t: ${SECONDS_EACH}s"
  # The corpus folder grows across local runs; the seeds stay read-only.
  rc=0
  build-fuzz/${t}_fuzz "build-fuzz/corpus/$t" "build-fuzz/seeds/$t" -max_total_time="$SECONDS_EACH" \
    -rss_limit_mb=2048 -max_len=262144 -timeout=10 -artifact_prefix="build-fuzz/findings/${t}-" -print_final_stats=1 \
    > "build-fuzz/$t.log" 2>&1 || rc=$?
  grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" "build-fuzz/$t.log" || true
  [ "$rc" -eq 0 ] || { tail -40 "build-fuzz/$t.log"; echo "FINDING in $t: see build-fuzz/$t.log and build-fuzz/findings/"; exit 1; }
done
