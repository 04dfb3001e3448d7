#!/usr/bin/env bash
# Builds the Debian package: the release tree (warnings as errors), then
# CPack's DEB generator (packaging/Packaging.cmake) into build/package/.
# Prints the path of the .deb as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
rm -f build/package/imeiflow_*.deb
(cd build/release && cpack -G DEB >/dev/null)
deb=$(ls build/package/imeiflow_*.deb)
echo "package: built $deb"
echo "$deb"
