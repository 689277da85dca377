#!/usr/bin/env bash
# The one command that runs the product: installs what is missing, builds, makes sure the demo
# store and its staff exist (printing their demo PINs), and starts the server with its default
# SQLite database, serving the app on 127.0.0.1.
#   RECOVERY_ADDR (default 127.0.0.1:8080), RECOVERY_DB (default data/recovery.sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
source scripts/env.sh
# The same database the server opens (RECOVERY_DB / RECOVERY_DATABASE_URL, else the default).
demo=$(target/release/recovery-server seed-demo)
echo "Demo staff sign in at /staff/<store>, e.g. /staff/demo (store, id, name, role, PIN):"
printf '%s\n' "$demo" | while IFS=$'\t' read -r store id name role pin; do
  printf '  %s  %-4s %-5s %-8s PIN %s\n' "$store" "$id" "$name" "$role" "$pin"
done
exec target/release/recovery-server --dist dist
