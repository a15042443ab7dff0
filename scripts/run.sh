#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds Referral Desk (debug) and launches it. On first run the app
# offers the sandbox organisations: it starts them in-process on 127.0.0.1, generates its key,
# registers it with them, and the worklist is ready. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --run
(cd ui && npm run --silent tauri -- build --debug --no-bundle)

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no graphical session (DISPLAY is empty); starting the app under Xvfb instead." >&2
  echo "run: on a desktop, run scripts/run.sh from a terminal inside the session." >&2
  exec xvfb-run -a -s '-screen 0 1280x800x24' target/debug/referral-desk "$@"
fi
exec target/debug/referral-desk "$@"
