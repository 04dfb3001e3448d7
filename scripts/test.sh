#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as
# errors, runs every unit and integration test (ctest), then each libFuzzer
# target for a bounded time (FUZZ_SECONDS each, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh

jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
