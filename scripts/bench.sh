#!/usr/bin/env bash
# Builds the release tree and runs every benchmark in bench/, printing the
# results as Markdown (the measured part of docs/BENCHMARKS.md):
#   bash scripts/bench.sh > build/bench.md
# Extra arguments go to every benchmark program (e.g. --benchmark_filter=Text).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh >&2
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >&2

echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores," \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "$(free -g | awk '/^Mem:/{print $2}') GiB, commit $(git rev-parse --short HEAD)."
shopt -s nullglob
for bin in build/release/bench/*_bench; do
  echo
  echo "### $(basename "$bin")"
  echo
  echo '```'
  "$bin" --benchmark_counters_tabular=true "$@" 2>/dev/null
  echo '```'
done
