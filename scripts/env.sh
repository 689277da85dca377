# Sourced by the scripts: puts the npm tools (binaryen's wasm-opt first) and cargo's bin on PATH.
# shellcheck shell=bash
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# The nightly the release builds of the apps use (scripts/build.sh); setup.sh installs it.
export SRK_NIGHTLY=nightly-2026-05-20
