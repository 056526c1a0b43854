#!/usr/bin/env bash
# Installs the Debian packages motcua needs to build, run and test.
# Idempotent: when every package is already installed it does nothing and
# never touches the network. Used by `make run`, `make test` and .ci/run.
set -euo pipefail

PACKAGES=(
  build-essential pkg-config make
  libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libutf8proc-dev
  libcmocka-dev libpq-dev postgresql libarchive-dev
  clang libclang-rt-14-dev clang-format
  curl wrk nginx-light sqlite3 ca-certificates procps
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
