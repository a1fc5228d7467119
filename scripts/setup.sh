#!/usr/bin/env bash
# Installs every Debian package pelagos needs (when missing) and builds it into
# build/. Safe to run again: it installs only what is missing and rebuilds
# incrementally. Run as root, or as a user with sudo.
#   scripts/setup.sh            install + build
#   scripts/setup.sh --no-build install only
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache: key objects by paths relative to the checkout, so clones elsewhere share them.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config ccache git
  # LibTorch (CPU) and a fast BLAS for it (without it matrix products run ~25x slower)
  libtorch-dev libopenblas0-openmp libgloo-dev
  # audio, data, storage, CLI and formats
  libsndfile1-dev libsoxr-dev libzip-dev libpugixml-dev zlib1g-dev
  libcli11-dev libfmt-dev nlohmann-json3-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev libpq-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev flac
  # sanitizers and libFuzzer (scripts/sanitize.sh, scripts/fuzz.sh)
  clang libclang-rt-14-dev
  # the report's browser test (headless) and the completion test
  chromium bash-completion
  # the Python side: cross-checks against Optuna, the reference implementation
  python3 python3-numpy python3-scipy python3-optuna python3-openpyxl python3-soundfile
  python3-pandas python3-torch python3-torchaudio python3-sklearn
  # distributed tuning: a private PostgreSQL server in the tests, and Optuna's driver for it
  postgresql python3-psycopg2
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install packages" >&2; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = "--no-build" ] && exit 0

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
echo "setup: built build/pelagos"
