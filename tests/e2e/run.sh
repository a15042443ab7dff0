#!/usr/bin/env bash
# End-to-end tests of the real Referral Desk window. Builds nothing: give it the built app in
# REFDESK_APP_BIN (default target/debug/referral-desk, built by `tauri build --debug`). Starts
# tauri-driver, runs specs/*.test.mjs with `node --test` (each spec file launches the app with a
# fresh profile), always stops the driver with SIGTERM, and exits non-zero when a test fails.
# Re-runs itself under Xvfb when there is no display.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if [[ -z "${DISPLAY:-}" ]]; then
  exec xvfb-run -a -s '-screen 0 1280x800x24' "$0" "$@"
fi

# shellcheck source=lib/driver.sh
source "$here/lib/driver.sh"
check_tools
make_workdir
start_driver

# Spec files given as arguments run alone; by default all of them.
specs=("$@")
[[ ${#specs[@]} -eq 0 ]] && specs=("$here"/specs/*.test.mjs)
status=0
REFDESK_APP_BIN=$app REFDESK_DRIVER_PORT=$port REFDESK_E2E_TMP=$work \
  node --test --test-concurrency=1 --test-timeout=300000 --test-reporter=spec \
  "${specs[@]}" || status=$?
stop_driver

if [[ $status -ne 0 ]]; then
  echo "e2e: FAILED; driver log and app profiles kept in $work" >&2
  tail -n 40 "$work/tauri-driver.log" >&2 || true
else
  rm -rf "$work"
fi
exit "$status"
