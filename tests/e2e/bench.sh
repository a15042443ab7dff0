#!/usr/bin/env bash
# Desktop app benchmarks: cold start to the worklist and idle PSS against an empty Tauri 2 app,
# both built the same way. REFDESK_BENCH_PROFILE picks the build: `release` (default: what ships,
# `tauri build`) or `debug` (what the tests run, `tauri build --debug`). Give it the built app in
# REFDESK_APP_BIN (default target/<profile>/referral-desk); it builds the baseline in
# benches/app-baseline itself with the same profile (its own workspace, never part of the test
# command) unless REFDESK_BASELINE_BIN names a built one.
# Prints the figures; docs/benchmarks.md ("desktop app") records them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if [[ -z "${DISPLAY:-}" ]]; then
  exec xvfb-run -a -s '-screen 0 1280x800x24' "$0" "$@"
fi

profile=${REFDESK_BENCH_PROFILE:-release}
case "$profile" in
  release) profile_flag=() ;;
  debug) profile_flag=(--debug) ;;
  *) echo "bench: REFDESK_BENCH_PROFILE must be release or debug, not '$profile'" >&2; exit 2 ;;
esac
export REFDESK_APP_BIN=${REFDESK_APP_BIN:-$root/target/$profile/referral-desk}

# shellcheck source=lib/driver.sh
source "$here/lib/driver.sh"
check_tools

baseline=${REFDESK_BASELINE_BIN:-}
if [[ -z "$baseline" ]]; then
  target=${CARGO_TARGET_DIR:-$root/target}
  (cd "$root/benches/app-baseline" && CARGO_TARGET_DIR=$target \
    "$root/ui/node_modules/.bin/tauri" build "${profile_flag[@]}" --no-bundle)
  baseline=$target/$profile/app-baseline
fi
baseline=$(realpath "$baseline")

make_workdir
start_driver
status=0
REFDESK_APP_BIN=$app REFDESK_BASELINE_BIN=$baseline REFDESK_DRIVER_PORT=$port REFDESK_E2E_TMP=$work \
  node "$here/bench/app-bench.mjs" || status=$?
stop_driver
[[ $status -eq 0 ]] && rm -rf "$work"
exit "$status"
