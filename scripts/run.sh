#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds Referral Desk (debug) and launches it. On first run the app
# offers the sandbox organisations: it starts them in-process on 127.0.0.1, generates its key,
# registers it with them, and the worklist is ready. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --run
(cd ui && npm run --silent tauri -- build --debug --no-bundle)

args=("$@")
# The app keeps its private key in the OS secret store. Without a session bus there is none, so
# opt in (visibly) to the 0600 key file in the app's profile instead.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${REFDESK_KEY_FILE:-}" ]; then
  echo "run: no session bus, so no OS secret store: keeping the app key in a 0600 file (--key-file)." >&2
  args+=(--key-file)
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no graphical session (DISPLAY is empty); starting the app under Xvfb instead." >&2
  echo "run: on a desktop, run scripts/run.sh from a terminal inside the session." >&2
  exec xvfb-run -a -s '-screen 0 1280x800x24' target/debug/referral-desk "${args[@]}"
fi
exec target/debug/referral-desk "${args[@]}"
