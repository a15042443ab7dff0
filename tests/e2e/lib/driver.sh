# Sourced by run.sh and bench.sh: checks the tools, isolates the XDG profile dirs, and starts and
# stops tauri-driver (which starts /usr/bin/WebKitWebDriver). Stop it with SIGTERM, never SIGKILL:
# a killed driver leaves WebKitWebDriver holding the output pipe and the CI step hangs.
# Expects $here (tests/e2e) and $root (the repository); sets $app, $work, $port, $driver_pid.

check_tools() {
  app=${REFDESK_APP_BIN:-$root/target/debug/referral-desk}
  [[ -x "$app" ]] || { echo "e2e: no app binary at $app (build it with tauri build --debug)" >&2; exit 2; }
  app=$(realpath "$app")
  driver=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
  [[ -x "$driver" ]] || { echo "e2e: tauri-driver not found (cargo install tauri-driver --locked --version ^2)" >&2; exit 2; }
  [[ -x /usr/bin/WebKitWebDriver ]] || { echo "e2e: /usr/bin/WebKitWebDriver missing (apt install webkit2gtk-driver)" >&2; exit 2; }
  command -v import >/dev/null || { echo "e2e: ImageMagick's import missing (apt install imagemagick): screenshots use it" >&2; exit 2; }
  [[ -d "$here/node_modules/webdriverio" ]] || { echo "e2e: run npm install --no-audit --no-fund in tests/e2e" >&2; exit 2; }
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# A scratch dir for driver logs and app profiles; anything the app, GTK or WebKit would write to
# the user's profile lands here instead.
make_workdir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/refdesk-e2e.XXXXXX")
  export XDG_CONFIG_HOME=$work/xdg/config XDG_DATA_HOME=$work/xdg/data XDG_CACHE_HOME=$work/xdg/cache
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
  # No Secret Service under Xvfb in CI: the app keeps its key in the (scratch) profile, 0600.
  export REFDESK_KEY_FILE=${REFDESK_KEY_FILE:-1}
  # The specs test the rendering the app chooses by itself (smoke checks it against /dev/dri).
  unset REFDESK_RENDERING
}

start_driver() {
  port=${REFDESK_DRIVER_PORT:-$(free_port)}
  local native_port
  native_port=$(free_port)
  "$driver" --port "$port" --native-port "$native_port" --native-driver /usr/bin/WebKitWebDriver \
    >"$work/tauri-driver.log" 2>&1 &
  driver_pid=$!
  trap stop_driver EXIT
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    if ! kill -0 "$driver_pid" 2>/dev/null; then
      cat "$work/tauri-driver.log" >&2
      echo "e2e: tauri-driver exited" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "e2e: tauri-driver did not listen on 127.0.0.1:$port" >&2
  exit 1
}

stop_driver() {
  if [[ -n "${driver_pid:-}" ]] && kill -0 "$driver_pid" 2>/dev/null; then
    kill -TERM "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
}
