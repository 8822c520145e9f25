#!/usr/bin/env bash
# Load (issue 17, item 16): `wrk` with C connections for D seconds against
# the main public pages and the search API (tests/load/pages.lua), on a new
# site with the demonstration data, on SQLite or on a new PostgreSQL
# database. Prints one JSON line of figures; exits 1 on any error (a
# connection, read or write error, a timeout, or an answer other than 200).
# A benchmark, not a test: the figures go in the closing note.
#
#   cargo build --release -p faro
#   tests/load/wrk.sh sqlite
#   tests/load/wrk.sh postgres            # needs psql and PostgreSQL at PGURL
#   CONNECTIONS=200 DURATION=60 THREADS=2 FARO=target/release/faro tests/load/wrk.sh sqlite
set -euo pipefail
cd "$(dirname "$0")/../.."
backend="${1:-sqlite}"
FARO="${FARO:-target/release/faro}"
CONNECTIONS="${CONNECTIONS:-200}"
DURATION="${DURATION:-60}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18431}"
PGURL="${PGURL:-postgres://postgres@127.0.0.1:5432}"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }
[ -x "$FARO" ] || { echo "$FARO is missing (cargo build --release -p faro)" >&2; exit 2; }

work="$(mktemp -d /tmp/faro-wrk.XXXX)"
db=""
args=(--data-dir "$work/data")
if [ "$backend" = postgres ]; then
  db="faro_wrk_$(date +%s)_$$"
  psql "$PGURL/postgres" -qc "CREATE DATABASE $db"
  args+=(--database-url "$PGURL/$db")
fi
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "$db" ] && psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $db" || true
  rm -rf "$work"
}
trap cleanup EXIT

FARO_LOG=warn "$FARO" serve "${args[@]}" --bind "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }
# Warm: every path once, and each must answer 200 before the run.
for p in $(grep -o '"/[^"]*"' tests/load/pages.lua | tr -d '"'); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$p")
  [ "$code" = 200 ] || { echo "$p answered $code before the run" >&2; exit 1; }
done

rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s tests/load/pages.lua "http://127.0.0.1:$PORT" | tail -n 1)
rss_after=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "${out%\}}, \"backend\": \"$backend\", \"connections\": $CONNECTIONS, \"rss_before_mb\": $((rss_before / 1024)), \"rss_after_mb\": $((rss_after / 1024))}"
echo "$out" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); bad=d["non_200"]+d["connect_errors"]+d["read_errors"]+d["write_errors"]+d["timeouts"]; sys.exit(1 if bad else 0)'
