#!/usr/bin/env bash
# Sets up a Debian 12 machine and runs every test of Referral Desk: the Rust workspace (unit,
# integration and cross-crate flows against sandbox organisations on 127.0.0.1), the STU3 JSON
# Schema check of every FHIR body those tests received, the UI's vitest suite, and end-to-end
# tests that drive the real app window under Xvfb. This is the command README.md names and
# .ci/run calls; it does nothing CI-specific.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/setup.sh

export REFDESK_PYTHON="$root/.venv/bin/python"
if [ -z "${REFDESK_SHARED:-}" ] && [ -d "$root/../shared" ]; then
  export REFDESK_SHARED="$root/../shared"
fi
capture=$(mktemp -d -t refdesk-capture.XXXXXX)
export REFDESK_CAPTURE_DIR="$capture"
trap 'rm -rf "$capture"' EXIT

stage() { printf '\n=== %s\n' "$*"; }

stage "Rust: format and lints (default members; the Tauri shell is checked by its build)"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings

stage "Rust: unit, integration and cross-crate tests (the parser property tests run 10,000 cases each: docs/security.md)"
cargo nextest run --no-fail-fast

stage "FHIR STU3 JSON Schema: every body the tests received ($(find "$capture" -type f | wc -l) files)"
node crates/sched-sandbox/tests/schema/selftest.mjs
node crates/sched-sandbox/tests/schema/validate.mjs "$capture"

stage "UI: type check and vitest"
(cd ui && npm run --silent typecheck && npm test --silent)

stage "Desktop app: debug build and .deb bundle"
(cd ui && npm run --silent tauri -- build --debug --bundles deb)

stage "End to end: the real app window under Xvfb"
REFDESK_APP_BIN="$root/target/debug/referral-desk" \
  xvfb-run -a -s '-screen 0 1280x800x24' tests/e2e/run.sh
