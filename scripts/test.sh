#!/usr/bin/env bash
# The one command that runs every test layer: installs what is missing (Chromium, PostgreSQL,
# npm packages, trunk, wasm-bindgen-cli), then lints, runs the native tests (core and server),
# the server's tests again on a throw-away PostgreSQL (scripts/with-postgres.sh), the browser
# tests (wasm-bindgen-test), builds the production app, checks its size budget and runs the
# end-to-end suite (Playwright + axe-core) against the real server.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# No incremental caches (about 0.8 GB for the native tests alone, of no use on a clean clone);
# a developer's own cargo runs keep theirs. The free disk is shown first and last, so a run
# that runs out of space says how much it had.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
disk() { printf 'disk: %s free; target/ %s\n' "$(df -h --output=avail . | tail -n 1 | tr -d ' ')" \
  "$(du -sh target 2>/dev/null | cut -f1)"; }
trap 'step "disk at the end"; disk' EXIT
step "disk"
disk
scripts/setup.sh --test
source scripts/env.sh

step "format"
cargo fmt --all -- --check
step "clippy (host)"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy (wasm32)"
cargo clippy -p kiosk -p wasm-streams --target wasm32-unknown-unknown --all-targets -- -D warnings
# The core's own tests use proptest, which has no wasm32 randomness; its library is checked.
cargo clippy -p recovery-core -p recovery-qr --target wasm32-unknown-unknown --lib -- -D warnings
step "native tests: domain core, app logic, server on 127.0.0.1 with SQLite"
cargo test --workspace
step "server tests again on a throw-away PostgreSQL on 127.0.0.1 (two-instance test included)"
scripts/with-postgres.sh cargo test -p recovery-server
step "browser tests: wasm-bindgen-test in headless Chromium"
cargo test -p kiosk -p wasm-streams --target wasm32-unknown-unknown
step "production build (release, wasm-opt -Oz)"
scripts/build.sh
step "size budget of the customer page"
node bench/size.mjs dist --budget "$(cat bench/size-budget)"
step "size budget of the ticket page"
node bench/size.mjs dist/ticket --budget 120000 --locales dist/locales
step "end-to-end: Playwright + axe-core in Chromium against the real server"
rm -rf target/e2e && mkdir -p target/e2e
npx playwright test --config e2e/playwright.config.ts
