#!/usr/bin/env bash
# Builds the production app (release, wasm-opt -Oz, into dist/) and the release server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# The customer's page into dist/, then the staff app, a separate build, into dist/staff/
# (after: trunk empties its dist folder first).
trunk build --release
trunk build staff.html --release --dist dist/staff --public-url /staff/
# The QR page that the acknowledgement frames (loaded only then).
trunk build qr.html --release --dist dist/qr --public-url /qr/
cargo build --release -p recovery-server
