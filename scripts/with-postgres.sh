#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL cluster: initdb into a temporary folder (owned by
# the postgres user, since initdb refuses root), listening only on 127.0.0.1 on a spare port,
# trust authentication, one database "recovery". The command sees its URL in
# RECOVERY_TEST_DATABASE_URL. The cluster is stopped and the folder removed on exit,
# whatever happens.
#   scripts/with-postgres.sh cargo test -p recovery-server
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 COMMAND [ARG]..." >&2; exit 2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/postgres" ] || { echo "PostgreSQL is not installed (run scripts/setup.sh --test)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A fresh folder under $TMPDIR (or /tmp), removed on exit.
dir=$(mktemp -d)
cleanup() {
  as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres: "$dir"

# A spare port: ask the kernel for a free one.
port=${PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale > "$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# synchronous_commit off, like SQLite's synchronous=NORMAL here: the last commits may be lost on
# power loss, never corrupted; the data is thrown away anyway.
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c synchronous_commit=off -c max_connections=300" start > /dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres recovery

export RECOVERY_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/recovery"
echo "[with-postgres] PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port" >&2
"$@"
