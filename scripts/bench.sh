#!/usr/bin/env bash
# Benchmarks the production build: builds it, starts the release server on a spare loopback
# port with a throw-away database, and runs bench/bench.mjs (first load, tap to
# acknowledgement), bench/sync.mjs (draining 5,000 queued complaints, network back to first
# receipt) and bench/lighthouse.mjs (Lighthouse scores of the customer page and the staff app,
# mobile emulation) against it; then the server's ingest benchmark (50 concurrent clients) on SQLite and
# on a throw-away PostgreSQL with one and with two server instances, and the core's insights
# benchmark (10,000 and 100,000 cases), and the insights dashboard in the staff app for
# 10,000 and 100,000 seeded cases (bench/tablet.mjs: sign-in, reload and insights; a server of its own on the next port),
# and the live queue and a notification's email (bench/live.mjs, servers of its own).
# Prints figures; asserts nothing about time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/build.sh
source scripts/env.sh
port=${BENCH_PORT:-18090}
db=$(mktemp -d)/bench.sqlite3
# One kiosk drains 5,000 queued complaints from one address: the per-address push budgets
# (600 events a minute by default) would be what is measured, so they are off here.
RUST_LOG=warn target/release/recovery-server --addr "127.0.0.1:$port" --db "$db" --dist dist \
  --address-events-per-minute 0 --address-bytes-per-minute 0 > /dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/api/v1/health" > /dev/null 2>&1 && break; sleep 0.2; done
node bench/bench.mjs --base "http://127.0.0.1:$port" "$@"
node bench/sync.mjs --base "http://127.0.0.1:$port" --db "$db"
target/release/recovery-server seed-demo --db "$db" > /dev/null
node bench/lighthouse.mjs --base "http://127.0.0.1:$port"
kill $server 2>/dev/null || true
node bench/tablet.mjs --port "$((port + 1))"
# The live queue (one instance on SQLite, two on PostgreSQL) and a due rule's email.
scripts/with-postgres.sh bash -c 'node bench/live.mjs --port "$0" --database-url "$RECOVERY_TEST_DATABASE_URL"' "$((port + 7))"
printf '\n== Server ingest: 50 concurrent clients pushing batches of 100 (SQLite; PostgreSQL x1, x2 into 1 and into 20 stores)\n'
scripts/with-postgres.sh cargo bench -q -p recovery-server --bench ingest
printf '\n== Insights: 10,000 and 100,000 cases (fold, report, CSV export)\n'
cargo bench -q -p recovery-core --bench insights
