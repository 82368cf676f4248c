#!/usr/bin/env bash
# Installs what a group of tests needs from Debian's packages, when it is missing. The tests call it themselves
# (tests/Shared/Prerequisites.cs), so `dotnet test DurableGen.sln -c Release` passes on a fresh machine with nothing
# installed by hand; run it yourself to install ahead of time:
#
#   tests/prerequisites.sh chromium   Debian's chromium: the dashboard tests drive it headless (playwright-core)
#   tests/prerequisites.sh node       Node.js 20 with npm: the official JS client, the template validator
#   tests/prerequisites.sh arm64      clang and the aarch64 binutils and C library (to link the arm64 Native AOT
#                                     bootstrap), qemu-user and Debian's arm64 OpenSSL (to run it here)
#   tests/prerequisites.sh ric        AWS's Node.js runtime interface client (npm aws-lambda-ric, with the durable
#                                     execution SDK) for tests/DurableGen.LocalService.Tests/ric: it compiles curl,
#                                     aws-lambda-cpp and a native addon (cmake, make, g++, python3 from Debian), minutes
#                                     of work, so it is built once per machine under $DURABLEGEN_CACHE (default
#                                     /var/cache/durablegen, ~/.cache/durablegen when not root), keyed by the folder's
#                                     package-lock.json, and linked in as the folder's node_modules
#   tests/prerequisites.sh all
#
# Idempotent, and safe to run from several test processes at once: one install at a time (flock), each re-checks.
# Needs root, or sudo without a password.
set -euo pipefail

usage() { echo "usage: $0 chromium|node|arm64|ric|all ..." >&2; exit 2; }
[ $# -gt 0 ] || usage

if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  as_root() {
    echo "Installing needs root: run \`sudo $0 $*\` once (it installs Debian packages with apt-get)." >&2
    exit 1
  }
fi

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  echo "prerequisites: apt-get install -y $*" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ric_project="$here/DurableGen.LocalService.Tests/ric"
ric_cache() {
  local root=/var/cache/durablegen
  [ "$(id -u)" -eq 0 ] || root="${XDG_CACHE_HOME:-$HOME/.cache}/durablegen"
  echo "${DURABLEGEN_CACHE:-$root}/aws-lambda-ric-$(sha256sum "$ric_project/package-lock.json" | cut -c1-16)"
}

has_chromium() { [ -x /usr/bin/chromium ]; }
has_node() { command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; }
has_arm64() {
  { ls /usr/bin/clang /usr/bin/clang-1[4-9] >/dev/null 2>&1; } &&
    [ -x /usr/bin/aarch64-linux-gnu-objcopy ] && [ -x /usr/bin/aarch64-linux-gnu-ld.bfd ] &&
    [ -f /usr/aarch64-linux-gnu/lib/libc.so ] && [ -x /usr/bin/qemu-aarch64-static ] &&
    [ -f /usr/lib/aarch64-linux-gnu/libssl.so.3 ]
}

# Built: the marker is written last, after `npm ci` compiled the addon; linked: the test folder's node_modules is the
# cache's, so the handler there imports the SDK and the client from it.
has_ric() {
  local cache; cache="$(ric_cache)"
  [ -f "$cache/.complete" ] && [ "$(readlink "$ric_project/node_modules")" = "$cache/node_modules" ]
}

install_ric() {
  has_ric && return 0
  has_node || install_node
  local tool missing_tools=()
  for tool in cmake make g++ python3 xz; do command -v "$tool" >/dev/null 2>&1 || missing_tools+=("$tool"); done
  if [ ${#missing_tools[@]} -gt 0 ]; then apt_install cmake make g++ python3 xz-utils; fi
  local cache; cache="$(ric_cache)"
  if [ ! -f "$cache/.complete" ]; then
    rm -rf "$cache" && mkdir -p "$cache"
    cp "$ric_project/package.json" "$ric_project/package-lock.json" "$cache/"
    echo "prerequisites: building aws-lambda-ric in $cache (once per machine; minutes)" >&2
    (cd "$cache" && npm ci --no-audit --no-fund --foreground-scripts >"$cache/npm-ci.log" 2>&1) ||
      { echo "prerequisites: npm ci of aws-lambda-ric failed; see $cache/npm-ci.log" >&2; tail -40 "$cache/npm-ci.log" >&2; exit 1; }
    [ -f "$cache/node_modules/aws-lambda-ric/rapid-client.node" ] ||
      { echo "prerequisites: aws-lambda-ric installed without its native addon; see $cache/npm-ci.log" >&2; exit 1; }
    touch "$cache/.complete"
  fi
  rm -rf "$ric_project/node_modules"
  ln -s "$cache/node_modules" "$ric_project/node_modules"
}

install_chromium() { has_chromium || apt_install chromium; }
install_node() { has_node || apt_install nodejs npm; }
install_arm64() {
  has_arm64 && return 0
  if ! { ls /usr/bin/clang /usr/bin/clang-1[4-9] >/dev/null 2>&1; } || [ ! -x /usr/bin/aarch64-linux-gnu-objcopy ] ||
     [ ! -f /usr/aarch64-linux-gnu/lib/libc.so ] || [ ! -x /usr/bin/qemu-aarch64-static ]; then
    apt_install clang gcc-aarch64-linux-gnu qemu-user-static
  fi
  if [ ! -f /usr/lib/aarch64-linux-gnu/libssl.so.3 ]; then
    # Multiarch: the arm64 OpenSSL beside the machine's own, for the bootstrap under qemu-user.
    as_root dpkg --add-architecture arm64
    apt_updated=""
    apt_install libssl3:arm64
  fi
}

wanted=()
for group in "$@"; do
  case "$group" in
    chromium|node|arm64|ric) wanted+=("$group") ;;
    all) wanted+=(chromium node arm64 ric) ;;
    *) usage ;;
  esac
done

# Nothing to do: no lock, no root.
missing=()
for group in "${wanted[@]}"; do "has_$group" || missing+=("$group"); done
[ ${#missing[@]} -gt 0 ] || exit 0

lock="${TMPDIR:-/tmp}/durablegen-prerequisites.lock"
exec 9>"$lock"
flock 9
for group in "${missing[@]}"; do "install_$group"; done
for group in "${missing[@]}"; do
  "has_$group" || { echo "prerequisites: $group is still missing after installing it" >&2; exit 1; }
done
