#!/usr/bin/env bash
# imeiflow's main job on its embedded default, the demo: installs what is
# missing, builds, then runs `imeiflow serve --demo`: the web application on
# http://127.0.0.1:8080 (IMEIFLOW_DEMO_LISTEN to change it) with the dispatcher
# and the status syncer, against the simulated supplier (imeiflow-sim on a free
# loopback port), a fresh database in ./imeiflow-demo and a demo admin whose
# password it prints. Ctrl-C stops it.
# With arguments, it runs `imeiflow check` on them instead: scripts/run.sh my.csv
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target imeiflow imeiflow-sim
bin=build/release/src

if (($#)); then
  exec "$bin/imeiflow" check "$@"
fi

echo "== imeiflow check examples/imeis.txt (what the input parser makes of a messy list)"
# The example holds invalid lines on purpose, so `check` exits 1 on it.
"$bin/imeiflow" check examples/imeis.txt || [ $? -eq 1 ]
echo
echo "== imeiflow serve --demo"
exec "$bin/imeiflow" serve --demo --demo-dir imeiflow-demo --listen "${IMEIFLOW_DEMO_LISTEN:-127.0.0.1:8080}"
