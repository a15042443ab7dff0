#!/usr/bin/env bash
# Installs what Referral Desk needs to build, run and test on Debian 12: system packages (apt),
# the Python peers used by tests (a venv in .venv), the npm packages of the UI, the end-to-end
# harness and the schema validator, and tauri-driver. Idempotent: a second run installs nothing.
#
#   scripts/setup.sh          everything (build, run and test)
#   scripts/setup.sh --run    only what building and launching the app needs
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi

# --- system packages -------------------------------------------------------------------------
apt_packages=(
  build-essential pkg-config libssl-dev libdbus-1-dev file curl ca-certificates
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  xvfb xauth
)
if [ "$mode" != "--run" ]; then
  apt_packages+=(webkit2gtk-driver imagemagick wrk python3-venv)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- npm packages (npm install, never npm ci: see docs/ci.md) ---------------------------------
npm_install() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: npm install in $dir"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
}
npm_install ui
[ "$mode" = "--run" ] && exit 0

for d in tests/e2e crates/sched-sandbox/tests/schema; do
  [ -f "$d/package.json" ] && npm_install "$d"
done

# --- Python peers for tests (PyJWT verifies our client assertions; sekmet-fhir is an
# independent SMART Backend Services server) -----------------------------------------------
if [ ! -x .venv/bin/python ] || ! cmp -s scripts/requirements-test.txt .venv/.requirements 2>/dev/null; then
  echo "setup: python venv in .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
  cp scripts/requirements-test.txt .venv/.requirements
fi

# --- Rust test tools ---------------------------------------------------------------------------
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: cargo install tauri-driver"
  cargo install tauri-driver --locked --version '^2' --quiet
fi
if ! cargo nextest --version >/dev/null 2>&1; then
  echo "setup: cargo install cargo-nextest"
  cargo install cargo-nextest --locked --quiet
fi
