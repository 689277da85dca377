#!/usr/bin/env bash
# Builds the production app (release, wasm-opt -Oz, into dist/) and the release server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# The apps' WebAssembly is built on a pinned nightly that rebuilds the standard library with the
# release profile and the immediate-abort panic strategy (a panic traps at once, with no message
# formatting: on wasm32 nothing ever showed that message anyway), which keeps the customer's
# first load under its budget (bench/size-budget). Only these builds see it: the environment
# below is theirs, and clippy, the tests and the server stay on stable. SRK_TOOLCHAIN=stable
# builds them on stable instead (larger, for development).
wasm_env=()
if [ "${SRK_TOOLCHAIN:-nightly}" != stable ]; then
  wasm_env=(env RUSTUP_TOOLCHAIN="$SRK_NIGHTLY" CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort")
fi
trunk_bin=$(type -P trunk)
trunk() { "${wasm_env[@]}" "$trunk_bin" "$@"; }
# The customer's page into dist/, then the staff app and the customer's ticket page, separate
# builds, into dist/staff/ and dist/ticket/ (after: trunk empties its dist folder first). The
# ticket page opens at /t/ (the server answers it with dist/ticket/index.html); its files are
# served from where they lie, /ticket/.
trunk build --release
trunk build staff.html --release --dist dist/staff --public-url /staff/
trunk build ticket.html --release --dist dist/ticket --public-url /ticket/
# The QR page that the kiosk's acknowledgement frames (loaded only then).
trunk build qr.html --release --dist dist/qr --public-url /qr/
# The first screen's top in the customer's and staff shells, shown while the WebAssembly loads.
node scripts/prepaint.mjs dist
# The customer's language files as plain arrays of their texts (no keys: fewer bytes to wait for).
node scripts/compact-locales.mjs dist
# Each app's service worker, its precache list made from the files just built.
node scripts/service-worker.mjs dist
# Their brotli (quality 11) and gzip twins, which the server sends as they are.
node scripts/precompress.mjs dist
cargo build --release -p recovery-server
