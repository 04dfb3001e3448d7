#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as
# errors, runs every unit and integration test (ctest), the browser test
# (headless Chromium through playwright-core; screenshots in build/screenshots),
# the Debian package's checks (scripts/package_test.sh),
# then each libFuzzer target for a bounded time (FUZZ_SECONDS each, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh

jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
mkdir -p build
ctest --preset release -j "$jobs" 2>&1 | tee build/ctest.log
ctest_passed=$(sed -n 's/^.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\)$/\2 \1/p' build/ctest.log |
  awk '{print $1 - $2}')

bash scripts/browser_test.sh 2>&1 | tee build/browser.log
browser_passed=$(grep -c '^browser: all checks passed$' build/browser.log)

bash scripts/package_test.sh 2>&1 | tee build/package.log
package_passed=$(sed -n 's/^package: \([0-9]*\) passed, 0 failed$/\1/p' build/package.log)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}" 2>&1 | tee build/fuzz.log
fuzz_passed=$(sed -n 's/^fuzz: \([0-9]*\) passed, 0 failed$/\1/p' build/fuzz.log)

echo "all: $((ctest_passed + browser_passed + package_passed + fuzz_passed)) passed, 0 failed"
