#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the wasm
# module and the page, and serves the playground on http://localhost:8080
# (override with PORT=NNNN or --port NNNN).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-native.sh
scripts/build-wasm.sh
node scripts/build-web.mjs
exec node scripts/serve.mjs "$@"
