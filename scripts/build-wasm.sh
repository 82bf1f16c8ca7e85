#!/usr/bin/env bash
# Builds the WebAssembly core into build/wasm/: tdam_core.js + tdam_core.wasm
# (SIMD) and tdam_core_nosimd.js + tdam_core_nosimd.wasm. Needs Emscripten
# (emcmake, em++) and Eigen in /usr/include/eigen3.
#   scripts/build-wasm.sh            configure (first time) and build
#   BUILD_DIR=... scripts/build-wasm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/wasm}
JOBS=${JOBS:-2}
# emcc runs its JS tools with Debian's node, which needs the system modules.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
emcmake cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR" -j"$JOBS"
ls -l "$BUILD_DIR"/tdam_core*.js "$BUILD_DIR"/tdam_core*.wasm
