#!/usr/bin/env bash
# Builds the core, the CLI (build/native/tdam) and the doctest suite natively.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j2
