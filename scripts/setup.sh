#!/usr/bin/env bash
# Installs what the kiosk needs to build (and, with --test, to test), skipping anything already
# present at the right version, so that a warm run takes seconds.
#   scripts/setup.sh          build tools: wasm32 target, the release builds' pinned nightly,
#                             trunk, wasm-bindgen-cli, npm packages
#   scripts/setup.sh --test   also Debian's Chromium and ChromeDriver for the browser tests,
#                             Debian's PostgreSQL server for the server tests on PostgreSQL, and
#                             aiosmtpd (PyPI, in .tools/mail) as the real SMTP server of the
#                             notification tests
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release builds' pinned nightly (scripts/env.sh names it; scripts/build.sh says why), with
# the standard library's source, which it rebuilds for the app. Development stays on stable.
source scripts/env.sh
if ! rustup component list --toolchain "$SRK_NIGHTLY" --installed 2>/dev/null | grep -qx rust-src; then
  say "installing the release builds' toolchain $SRK_NIGHTLY (with rust-src)"
  rustup toolchain install "$SRK_NIGHTLY" --profile minimal --component rust-src
fi
# Rebuilding the standard library needs its own dependencies (libc, hashbrown...) in cargo's
# cache, and trunk runs cargo offline (Trunk.toml): fetch them, which is a no-op once done.
cargo "+$SRK_NIGHTLY" fetch --quiet --locked \
  --manifest-path "$(rustc "+$SRK_NIGHTLY" --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes several minutes, once)"
  cargo install trunk --locked --version "$TRUNK_VERSION"
fi

# wasm-bindgen-cli must equal the wasm-bindgen library in Cargo.lock. It is installed without
# --locked on purpose: one of its locked dependencies is no longer on the registry.
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# npm packages: binaryen's wasm-opt (Debian's is too old and breaks the build), Playwright,
# axe-core. Reinstall only when package-lock.json changed since the last install.
stamp=node_modules/.lock-hash
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "installing npm packages"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi

if [ "$want_test" = 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v brotli >/dev/null || missing+=(brotli)
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
  # The notification tests' SMTP server, in a virtual environment of its own.
  AIOSMTPD_VERSION=1.4.6
  if [ "$(.tools/mail/bin/python -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null)" != "$AIOSMTPD_VERSION" ]; then
    say "installing aiosmtpd $AIOSMTPD_VERSION (PyPI) into .tools/mail"
    python3 -m venv .tools/mail
    .tools/mail/bin/pip install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
  fi
fi
say "tools ready"
