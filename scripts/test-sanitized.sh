#!/usr/bin/env bash
# Builds the CLI and the doctest suite with AddressSanitizer and
# UndefinedBehaviorSanitizer (-DTDAM_SANITIZE=ON) in build/asan and runs the
# suite. Any leak, memory error or undefined behaviour aborts the run, so the
# script exits non-zero. Extra arguments go to tdam_tests (doctest options,
# e.g. -tc='npy*').
set -euo pipefail
cd "$(dirname "$0")/.."

cmake -S . -B build/asan \
  -DTDAM_SANITIZE=ON -DTDAM_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/asan -j2 --target tdam tdam_tests

# The CLI tests run build/asan/tdam as a subprocess; it inherits these too.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build/asan/tdam_tests "$@"
