#!/usr/bin/env bash
# imeiflow's main job on its embedded default: installs what is missing,
# builds, then (1) checks the example IMEI file and (2) orders its valid IMEIs
# from the simulated supplier (imeiflow-sim on 127.0.0.1), exactly once,
# and lists the orders. Everything it writes goes to a temporary folder.
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

echo "== imeiflow check examples/imeis.txt"
# The example holds invalid lines on purpose, so `check` exits 1 on it.
"$bin/imeiflow" check examples/imeis.txt || [ $? -eq 1 ]

demo=$(mktemp -d)
"$bin/imeiflow-sim" --listen 127.0.0.1:0 --ledger "$demo/ledger.csv" --latency-ms 200 \
  --process-after-ms 500 --complete-after-ms 1500 >"$demo/sim.out" &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$demo"' EXIT
for _ in $(seq 50); do grep -q listening "$demo/sim.out" && break; sleep 0.1; done
export IMEIFLOW_UPSTREAM_URL=$(sed -n 's/^listening on //p' "$demo/sim.out")
export IMEIFLOW_UPSTREAM_USER=demo IMEIFLOW_UPSTREAM_API_KEY=DEMO-0000-0000-0000-0000
export IMEIFLOW_DB="$demo/imeiflow.db" IMEIFLOW_LOG_LEVEL=warn

echo
echo "== imeiflow submit --service 1739 --wait examples/imeis.txt  (simulated supplier at $IMEIFLOW_UPSTREAM_URL)"
"$bin/imeiflow" submit --service 1739 --wait examples/imeis.txt
echo
echo "== imeiflow orders"
"$bin/imeiflow" orders
echo
echo "== the supplier's ledger: every charged order, one line each"
cat "$demo/ledger.csv"
