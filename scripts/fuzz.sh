#!/usr/bin/env bash
# The long run of the parser property tests (docs/security.md, "Parsers"): every test named
# `fuzz_tests::…` or in a `tests/fuzz.rs`, with PROPTEST_CASES cases per property instead of the
# 10,000 that scripts/test.sh runs. Usage: scripts/fuzz.sh [cases] (default 1,000,000).
# Figures from a run are in docs/benchmarks.md, "Parser fuzzing".
set -euo pipefail
cd "$(dirname "$0")/.."

cases="${1:-1000000}"
started=$(date +%s)
PROPTEST_CASES="$cases" cargo nextest run --no-fail-fast \
  -p fhir-model -p smart-auth -p sched-client -p sched-sandbox \
  -E 'test(/fuzz_tests::/) | binary(fuzz)'
echo "fuzz: $cases cases per property, $(( $(date +%s) - started )) s"
