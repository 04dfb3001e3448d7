#!/usr/bin/env bash
# Builds the Debian package (scripts/package.sh) and checks it without
# installing it on this machine: lintian, the systemd unit, the file list,
# the computed dependencies, and the programs run from a scratch root
# (`dpkg -x`): `imeiflow --version` and `imeiflow doctor` against
# imeiflow-sim on loopback. One line per check; the last line is
# "package: N passed, 0 failed" when every check passed (else exit 1).
# Usage: package_test.sh [DEB]  (DEB given: checks that package, builds none)
set -euo pipefail
deb=${1:+$(realpath "$1")}
cd "$(dirname "$0")/.."

if [ -z "$deb" ]; then deb=$(bash scripts/package.sh | tail -n 1); fi
scratch=$(mktemp -d /tmp/imeiflow-package-XXXXXX)
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

passed=0
failed=0
check() {  # check NAME DETAIL-ON-FAILURE-FILE COMMAND...
  local name=$1 log=$2
  shift 2
  if "$@" >"$log" 2>&1; then
    echo "package: ok   $name"
    passed=$((passed + 1))
  else
    echo "package: FAIL $name"
    sed 's/^/    /' "$log"
    failed=$((failed + 1))
  fi
}

# lintian: no errors (warnings are listed, not fatal).
lintian_ok() {
  lintian --tag-display-limit 0 "$deb" | tee "$scratch/lintian.txt"
  ! grep -q '^E: ' "$scratch/lintian.txt"
}
check "lintian without errors" "$scratch/lintian.log" lintian_ok

mkdir -p "$scratch/root"
dpkg -x "$deb" "$scratch/root"

# systemd-analyze verify resolves ExecStart= on the host, so it checks the
# unit with the extracted root's binary in place of /usr/bin/imeiflow.
unit_ok() {
  sed "s|/usr/bin/imeiflow|$scratch/root/usr/bin/imeiflow|" \
    "$scratch/root/lib/systemd/system/imeiflow.service" >"$scratch/imeiflow.service"
  SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$scratch/imeiflow.service" 2>&1 |
    tee "$scratch/verify.txt"
  ! grep -q 'imeiflow.service' "$scratch/verify.txt"
}
check "systemd-analyze verify imeiflow.service" "$scratch/verify.log" unit_ok

files_ok() {
  dpkg-deb -c "$deb" | awk '{print $1, $2, $6}' | tee "$scratch/files.txt"
  local want
  for want in ./usr/bin/imeiflow ./usr/bin/imeiflow-sim ./etc/imeiflow/imeiflow.toml \
    ./lib/systemd/system/imeiflow.service ./usr/share/doc/imeiflow/changelog.Debian.gz \
    ./usr/share/doc/imeiflow/copyright; do
    grep -q " root/root $want\$" "$scratch/files.txt" || { echo "missing: $want"; return 1; }
  done
  dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/imeiflow/imeiflow.toml ||
    { echo "/etc/imeiflow/imeiflow.toml is not a conffile"; return 1; }
  dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -q 'adduser --system' ||
    { echo "postinst adds no system user"; return 1; }
}
check "file list, conffile and postinst" "$scratch/files.log" files_ok

# Depends: what dpkg-shlibdeps computed (libc6, libsqlite3-0, ...), not only adduser.
depends_ok() {
  local depends
  depends=$(dpkg-deb -f "$deb" Depends)
  echo "Depends: $depends"
  for lib in libc6 libsqlite3-0 libsystemd0 libcurl4; do
    grep -q "$lib" <<<"$depends" || { echo "missing: $lib"; return 1; }
  done
}
check "computed Depends" "$scratch/depends.log" depends_ok

version_ok() {
  local want out
  want=$(dpkg-deb -f "$deb" Version)
  out=$("$scratch/root/usr/bin/imeiflow" --version)
  echo "$out"
  grep -qF "$want" <<<"$out"
}
check "extracted imeiflow --version" "$scratch/version.log" version_ok

# doctor: the extracted program against imeiflow-sim, with the packaged
# configuration pointed into the scratch root.
doctor_ok() {
  "$scratch/root/usr/bin/imeiflow-sim" --listen 127.0.0.1:0 >"$scratch/sim.out" 2>&1 &
  sim_pid=$!
  local url="" i
  for i in $(seq 1 200); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$scratch/sim.out" | head -n 1 || true)
    [ -n "$url" ] && break
    sleep 0.05
  done
  [ -n "$url" ] || { cat "$scratch/sim.out"; return 1; }
  printf 'DEMO-0000-0000-0000-0000\n' >"$scratch/root/etc/imeiflow/api_key"
  sed -e "s|^# url = \"\"|url = \"$url\"|" -e 's|^# user = ""|user = "demo"|' \
    -e "s|\"/etc/imeiflow/|\"$scratch/root/etc/imeiflow/|" \
    -e "s|\"/var/lib/imeiflow/|\"$scratch/root/var/lib/imeiflow/|" \
    "$scratch/root/etc/imeiflow/imeiflow.toml" >"$scratch/imeiflow.toml"
  mkdir -p "$scratch/root/var/lib/imeiflow"
  env -i PATH=/usr/bin:/bin "$scratch/root/usr/bin/imeiflow" --config "$scratch/imeiflow.toml" doctor
}
check "extracted imeiflow doctor against imeiflow-sim" "$scratch/doctor.log" doctor_ok

echo "package: $passed passed, $failed failed"
[ "$failed" = 0 ]
