#!/usr/bin/env bash
# Runs every libFuzzer target in build/fuzz for SECONDS (default 20) from its
# seed corpus in tests/fuzz/corpus/<target>. Fails on the first crash.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shopt -s nullglob
ran=0
for bin in build/fuzz/tests/fuzz/*_fuzz; do
  name=$(basename "$bin")
  seeds="tests/fuzz/corpus/$name"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  [ -d "$seeds" ] && cp -r "$seeds"/. "$work"/
  echo "fuzz: $name for ${seconds}s"
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
    -artifact_prefix="build/fuzz/$name-" "$work" 2>"build/fuzz/$name.log" ||
    { tail -50 "build/fuzz/$name.log"; echo "fuzz: $name FAILED"; exit 1; }
  grep -E "^Done [0-9]+ runs" "build/fuzz/$name.log" || true
  rm -rf "$work"
  ran=$((ran + 1))
done
echo "fuzz: $ran passed, 0 failed"
