#!/usr/bin/env bash
# Browser tests: installs playwright-core from the npm registry (pinned in
# tests/browser/package-lock.json; it drives Debian's /usr/bin/chromium and
# never downloads a browser), then runs tests/browser/e2e.mjs against the
# release build. Screenshots go to build/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null
node tests/browser/e2e.mjs build/release/src/imeiflow build/screenshots
