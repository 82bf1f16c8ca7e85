#!/usr/bin/env bash
# The README's second command: installs what is missing, then builds and runs
# every test: the native doctest suite (ctest), the same suite under
# AddressSanitizer and UndefinedBehaviorSanitizer, a bounded libFuzzer pass
# (fuzz/README.md), the wasm module's node tests, and the browser end-to-end
# tests in Chromium.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit 1

passed=0
failed=0
suite() {  # suite NAME COMMAND...
  local name=$1
  shift
  echo "==> $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

suite "native build" scripts/build-native.sh
suite "native tests" ctest --test-dir build/native --output-on-failure
suite "sanitized tests (ASan, UBSan)" scripts/test-sanitized.sh
suite "fuzz, bounded" scripts/fuzz.sh 20
suite "wasm build" scripts/build-wasm.sh
suite "wasm tests" node --test tests/wasm/
suite "link tests" node --test tests/links/
suite "web build" node scripts/build-web.mjs
suite "browser tests" node --test tests/browser/

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
