#!/usr/bin/env bash
# The one command that runs the product: installs what is missing, builds, makes sure the demo
# store, its staff and its chain's people exist (printing their demo PINs and passwords), and
# starts the server with its default
# SQLite database, serving the app on 127.0.0.1.
#   RECOVERY_ADDR (default 127.0.0.1:8080), RECOVERY_DB (default data/recovery.sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
source scripts/env.sh
# The same database the server opens (RECOVERY_DB / RECOVERY_DATABASE_URL, else the default).
demo=$(target/release/recovery-server seed-demo)
echo "Demo staff sign in at /staff/<store>, e.g. /staff/demo; the demo chain's people in the"
echo "web admin at /admin/demo (where, id, name, role, PIN or password):"
printf '%s\n' "$demo" | while IFS=$'\t' read -r at id name role secret; do
  case "$at" in
    chain:*) printf '  %-10s %-4s %-5s %-8s password %s\n' "$at" "$id" "$name" "$role" "$secret" ;;
    *) printf '  %-10s %-4s %-5s %-8s PIN %s\n' "$at" "$id" "$name" "$role" "$secret" ;;
  esac
done
exec target/release/recovery-server --dist dist
