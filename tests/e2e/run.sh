#!/usr/bin/env bash
# End-to-end tests of the real Referral Desk window. Builds nothing: give it the built app in
# REFDESK_APP_BIN (default target/debug/referral-desk, built by `tauri build --debug`). Starts
# tauri-driver (which starts /usr/bin/WebKitWebDriver), runs specs/*.test.mjs with `node --test`,
# always stops the driver with SIGTERM (SIGKILL would leave WebKitWebDriver holding the output
# pipe), and exits non-zero when a test fails. Re-runs itself under Xvfb when there is no display.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if [[ -z "${DISPLAY:-}" ]]; then
  exec xvfb-run -a -s '-screen 0 1280x800x24' "$0" "$@"
fi

app=${REFDESK_APP_BIN:-$root/target/debug/referral-desk}
[[ -x "$app" ]] || { echo "e2e: no app binary at $app (build it with tauri build --debug)" >&2; exit 2; }
app=$(realpath "$app")
driver=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
[[ -x "$driver" ]] || { echo "e2e: tauri-driver not found (cargo install tauri-driver --locked --version ^2)" >&2; exit 2; }
[[ -x /usr/bin/WebKitWebDriver ]] || { echo "e2e: /usr/bin/WebKitWebDriver missing (apt install webkit2gtk-driver)" >&2; exit 2; }
[[ -d "$here/node_modules/webdriverio" ]] || { echo "e2e: run npm install --no-audit --no-fund in tests/e2e" >&2; exit 2; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
port=${REFDESK_DRIVER_PORT:-$(free_port)}
native_port=$(free_port)

work=$(mktemp -d "${TMPDIR:-/tmp}/refdesk-e2e.XXXXXX")
# Anything the app, GTK or WebKit would write to the user's profile lands here instead.
export XDG_CONFIG_HOME=$work/xdg/config XDG_DATA_HOME=$work/xdg/data XDG_CACHE_HOME=$work/xdg/cache
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"

"$driver" --port "$port" --native-port "$native_port" --native-driver /usr/bin/WebKitWebDriver \
  >"$work/tauri-driver.log" 2>&1 &
driver_pid=$!

stop_driver() {
  if kill -0 "$driver_pid" 2>/dev/null; then
    kill -TERM "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
}
trap stop_driver EXIT

for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$driver_pid" 2>/dev/null || { cat "$work/tauri-driver.log" >&2; echo "e2e: tauri-driver exited" >&2; exit 1; }
  sleep 0.1
done

status=0
REFDESK_APP_BIN=$app REFDESK_DRIVER_PORT=$port REFDESK_E2E_TMP=$work \
  node --test --test-concurrency=1 --test-timeout=300000 --test-reporter=spec \
  "$here"/specs/*.test.mjs || status=$?
stop_driver

if [[ $status -ne 0 ]]; then
  echo "e2e: FAILED; driver log and app profiles kept in $work" >&2
  tail -n 40 "$work/tauri-driver.log" >&2 || true
else
  rm -rf "$work"
fi
exit "$status"
