#!/usr/bin/env bash
# Installs the Debian packages motcua needs to build, run and test.
# Idempotent: when every package is already installed it does nothing and
# never touches the network. Used by `make run`, `make test` and .ci/run.
set -euo pipefail

PACKAGES=(
  build-essential pkg-config make
  libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libutf8proc-dev
  libcmocka-dev libpq-dev postgresql libarchive-dev libcurl4-openssl-dev python3-aiosmtpd libmagic-dev
  libpango1.0-dev libcairo2-dev libqrencode-dev fonts-dejavu-core poppler-utils zbar-tools
  clang libclang-rt-14-dev clang-format
  curl wrk nginx-light sqlite3 ca-certificates procps
  chromium nodejs npm
  libxlsxwriter-dev libreoffice-calc-nogui
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# node and npm may come with the machine rather than from Debian.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  keep=()
  for p in "${missing[@]}"; do
    case "$p" in nodejs|npm) ;; *) keep+=("$p") ;; esac
  done
  missing=("${keep[@]}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The browser tests' two npm packages (playwright-core, axe-core), pinned
# by tests/browser/package-lock.json.
cd "$(dirname "$0")/../tests/browser"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  echo "deps: installing the browser test packages" >&2
  npm ci --no-audit --no-fund >&2
fi

# Redocly CLI for the OpenAPI lint step of scripts/test.sh, pinned by
# tests/openapi/package-lock.json.
cd ../openapi
if [ ! -x node_modules/.bin/redocly ]; then
  echo "deps: installing the OpenAPI lint package" >&2
  npm ci --no-audit --no-fund >&2
fi
