#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer over the torch-free part: builds
# build-asan/ (pelagos_core, the CLI and the core tests, -DPELAGOS_SANITIZE=ON)
# and runs the core tests there. Any finding fails the run. LibTorch commands are
# not built here (PELAGOS_CORE_ONLY); tests that need them skip with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
[ -f build-asan/CMakeCache.txt ] || cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPELAGOS_SANITIZE=ON -DPELAGOS_CORE_ONLY=ON -DPELAGOS_BUILD_BENCH=OFF
cmake --build build-asan -j"$(nproc)"
# detect_leaks: our code must not leak either. halt_on_error: the first finding fails the test.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export GLOG_minloglevel=2
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" "$@"
