#!/usr/bin/env bash
# The whole test suite: builds what changed, then runs every test through CTest.
# Tests that need ../shared skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache: key objects by paths relative to the checkout, so clones elsewhere share them.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
[ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
export GLOG_minloglevel=2 OMP_WAIT_POLICY=PASSIVE
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
