#!/usr/bin/env bash
# Installs the Debian packages imeiflow needs to build, test and run.
# Idempotent: installs only what is missing, runs `apt-get update` at most once.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build pkg-config git ca-certificates
  clang libclang-rt-14-dev          # libFuzzer targets, sanitizers
  libboost-dev                      # Boost.Asio / Beast: the web server (src/web/http_server*)
  # libraries (see ../shared/docs/design.md, "Dependencies")
  libcurl4-openssl-dev libsqlite3-dev libpugixml-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libcli11-dev libcpp-httplib-dev libkainjow-mustache-dev
  libsodium-dev libxlsxwriter-dev libzip-dev zlib1g-dev libtoml11-dev
  libsystemd-dev                    # sd_notify: serve under systemd (Type=notify)
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium                          # browser tests (driven by npm playwright-core)
  lintian systemd dpkg-dev fakeroot # package checks (scripts/package_test.sh)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js and npm run the browser tests. A machine may already have them from
# another source (e.g. NodeSource's nodejs, which bundles npm and conflicts
# with Debian's npm package): only when npm is absent are Debian's installed.
if ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
