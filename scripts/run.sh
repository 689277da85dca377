#!/usr/bin/env bash
# The one command that runs the product: installs what is missing, builds, and starts the
# server with its default SQLite database, serving the app on 127.0.0.1.
#   RECOVERY_ADDR (default 127.0.0.1:8080), RECOVERY_DB (default data/recovery.sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
source scripts/env.sh
exec target/release/recovery-server --dist dist
