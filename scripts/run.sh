#!/usr/bin/env bash
# imeiflow's main job on its embedded default: installs what is missing,
# builds, and runs `imeiflow check` on the example file shipped in examples/.
# Extra arguments replace the example file: scripts/run.sh my-imeis.csv
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target imeiflow

if (($#)); then
  exec build/release/src/imeiflow check "$@"
fi
# The example holds a few invalid lines on purpose, so `check` exits 1 on it;
# that is the expected outcome of the demo, not a failure of the run.
build/release/src/imeiflow check examples/imeis.txt || [ $? -eq 1 ]
