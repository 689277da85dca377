#!/usr/bin/env bash
# Builds the production app (release, wasm-opt -Oz, into dist/) and the release server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
trunk build --release
cargo build --release -p recovery-server
