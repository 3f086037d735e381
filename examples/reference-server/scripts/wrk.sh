#!/usr/bin/env bash
# Load figures of the reference server with wrk (Debian's `wrk`): POST /v1/quotes and
# GET /v1/shipments/{id} against a release build, on SQLite or on a throwaway PostgreSQL.
#
#   examples/reference-server/scripts/wrk.sh sqlite|postgres
#
# Builds the release binary when missing (CARGO_TARGET_DIR honoured). Prints wrk's requests/s
# and latency percentiles and the server's RSS. wrk runs on the same machine: on 2 cores it takes
# one of them.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
DB=${1:-sqlite}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SRV="$TARGET/release/kargojet-server"
[ -x "$SRV" ] || (cd "$ROOT" && cargo build --release -p kargojet-server --locked)
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 2; }
export K=kj_wrkbench01_abcdefghijklmnopqrstuvwxyz0123 WRK_DIR="$HERE/wrk"
PORT=${PORT:-18081}
WORK=$(mktemp -d); PG=""
cleanup() {
  [ -n "${SP:-}" ] && kill "$SP" 2>/dev/null && wait "$SP" 2>/dev/null || true
  [ -n "$PG" ] && bash "$HERE/postgres.sh" stop "$PG" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ "$DB" = postgres ]; then
  PG=$(mktemp -d /tmp/kargojet-wrk-pg.XXXXXX); chmod 755 "$PG"
  DATABASE_URL=$(bash "$HERE/postgres.sh" start "$PG"); export DATABASE_URL
fi
cd "$WORK"
KARGOJET_DEMO_API_KEY=$K KARGOJET_LOG=warn "$SRV" --port "$PORT" > server.log 2>&1 &
SP=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
SHIP=$(python3 -c "import json,sys; q=json.load(open(sys.argv[1])); q['carrier']='sendeo'; print(json.dumps(q))" "$WRK_DIR/quote.json")
ID=$(curl -sf "http://127.0.0.1:$PORT/v1/shipments" -H "Authorization: Bearer $K" \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: WRK-1' -d "$SHIP" |
  python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")
run() {
  echo "== $DB $1"
  wrk -t2 -c32 -d10s --latency "${@:2}" | grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx"
  echo "server RSS: $(ps -o rss= -p "$SP") KiB"
}
run "POST /v1/quotes" -s "$WRK_DIR/post.lua" "http://127.0.0.1:$PORT/v1/quotes"
run "GET /v1/shipments/{id}" -s "$WRK_DIR/get.lua" "http://127.0.0.1:$PORT/v1/shipments/$ID"
