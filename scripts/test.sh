#!/usr/bin/env bash
# Sets up a Debian 12 machine and runs every test of Referral Desk: the Rust workspace (unit,
# integration and cross-crate flows against sandbox organisations on 127.0.0.1), the STU3 JSON
# Schema check of every FHIR body those tests received (R4 bodies: the fhir.resources R4B
# models, installed in .venv from scripts/requirements-test.txt), the UI's vitest suite, and
# end-to-end tests that drive the real app window under Xvfb. This is the command README.md names and
# .ci/run calls. One thing depends on `CI`: there the tests that need ../shared or the Python
# peers may not skip (tests/support/peer.rs), and this script checks for both up front.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/setup.sh

export REFDESK_PYTHON="$root/.venv/bin/python"
if [ -z "${REFDESK_SHARED:-}" ] && [ -d "$root/../shared" ]; then
  export REFDESK_SHARED="$root/../shared"
fi

# Under CI a missing peer fails here, with the reason, instead of in the middle of the tests.
case "${CI:-}" in
  "" | false | 0) ;;
  *)
    shared=${REFDESK_SHARED:-$root/../shared}
    if [ ! -d "$shared/argonaut-examples/connectathon_test_data" ]; then
      echo "test.sh: CI is set but $shared/argonaut-examples is missing: clone the shared folder next to the repository or set REFDESK_SHARED" >&2
      exit 1
    fi
    if ! "$REFDESK_PYTHON" -c 'import jwt, cryptography, sekmet, fhir.resources.R4B.auditevent' 2>/dev/null; then
      echo "test.sh: CI is set but $REFDESK_PYTHON lacks pyjwt[crypto], sekmet-fhir or fhir.resources (scripts/setup.sh installs scripts/requirements-test.txt)" >&2
      exit 1
    fi
    ;;
esac

capture=$(mktemp -d -t refdesk-capture.XXXXXX)
export REFDESK_CAPTURE_DIR="$capture"
trap 'rm -rf "$capture"' EXIT

stage() { printf '\n=== %s\n' "$*"; }

stage "Rust: format and lints (default members; the Tauri shell after its build, below)"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings

stage "Rust: unit, integration and cross-crate tests, parser property tests at 10,000 cases each"
cargo nextest run --no-fail-fast

stage "FHIR STU3 JSON Schema: every body the tests received ($(find "$capture" -type f | wc -l) files)"
node crates/sched-sandbox/tests/schema/selftest.mjs
node crates/sched-sandbox/tests/schema/validate.mjs "$capture"

stage "FHIR R4 (fhir.resources R4B models): every body exchanged with an R4 organisation ($(find "$capture" -type f -name 'r4-*' | wc -l) files)"
"$REFDESK_PYTHON" crates/sched-sandbox/tests/schema/validate_r4.py --selftest
"$REFDESK_PYTHON" crates/sched-sandbox/tests/schema/validate_r4.py "$capture"

stage "UI: type check, lint and format (Biome), vitest"
(cd ui && npm run --silent typecheck && npm run --silent lint && npm run --silent format:check && npm test --silent)

stage "Desktop app: debug build and .deb bundle"
(cd ui && npm run --silent tauri -- build --debug --bundles deb)

stage "End to end: the real app window under Xvfb"
REFDESK_APP_BIN="$root/target/debug/referral-desk" \
  xvfb-run -a -s '-screen 0 1280x800x24' tests/e2e/run.sh

# Last, after the app build and the e2e run that uses it: the shell is checked and tested with
# the feature `tauri build` turns on (generate_context! then embeds ui/dist, built by now), so
# both reuse the tauri just compiled instead of building a second copy of it.
stage "Tauri shell: lints and unit tests"
shell_features=(-p referral-desk --features tauri/custom-protocol)
cargo clippy "${shell_features[@]}" --all-targets --quiet -- -D warnings
cargo nextest run "${shell_features[@]}" --no-fail-fast
