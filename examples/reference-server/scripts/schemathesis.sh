#!/usr/bin/env bash
# Schemathesis (from PyPI) against a running kargojet-server's /openapi.json, bounded in time:
# every operation is called with generated requests (valid and invalid) as the demo company's
# admin; the run fails on any 5xx, any response that does not match its schema, any status
# code or content type the document does not declare.
#
# Installs schemathesis into a venv itself (default: <target>/schemathesis-venv). Builds the
# server when its binary is missing. ST_MAX_TIME bounds the run (seconds, default 180).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/debug/kargojet-server"
venv="${ST_VENV:-$target/schemathesis-venv}"
max_time="${ST_MAX_TIME:-180}"
key="kj_schemathesis01_abcdefghijklmnopqrstuvwxyz0123456789"

if [ ! -x "$venv/bin/st" ]; then
    echo "== installing schemathesis into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'schemathesis>=4.3,<5'
fi
"$venv/bin/st" --version

if [ ! -x "$bin" ]; then
    echo "== building kargojet-server"
    (cd "$root" && nice -n 19 cargo build -p kargojet-server)
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [ "${ST_KEEP:-0}" = "1" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "== starting kargojet-server in $work"
(cd "$work" && KARGOJET_DEMO_API_KEY="$key" KARGOJET_DEMO_TOP_UP=100000000 KARGOJET_LOG=warn \
    exec "$bin" --port 0 >"$work/out.txt" 2>"$work/err.txt") &
server_pid=$!
base=""
for _ in $(seq 1 300); do
    base="$(sed -n 's/^KargoJet server on \(http:[^ ]*\).*/\1/p' "$work/out.txt" 2>/dev/null || true)"
    [ -n "$base" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/err.txt" >&2; echo "server died" >&2; exit 1; }
    sleep 0.2
done
[ -n "$base" ] || { echo "server did not start" >&2; exit 1; }
echo "   $base"

echo "== schemathesis (at most ${max_time}s)"
status=0
# Run inside the scratch directory: Hypothesis and Schemathesis keep their caches in the cwd.
cd "$work"
"$venv/bin/st" run "$base/openapi.json" \
    --header "Authorization: Bearer $key" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --phases examples,coverage,fuzzing,stateful \
    --max-time "$max_time" \
    --workers 2 \
    --request-timeout 30 \
    --suppress-health-check too_slow,filter_too_much \
    --report junit --report-dir "$work/report" \
    --no-color || status=$?
if [ "$status" -ne 0 ]; then
    echo "FAIL: schemathesis found problems (exit $status); server log tail:" >&2
    grep '"level":"ERROR"' "$work/err.txt" | tail -20 >&2 || true
    exit "$status"
fi
if grep -q '"level":"ERROR"' "$work/err.txt"; then
    echo "FAIL: the server logged errors during the run:" >&2
    grep '"level":"ERROR"' "$work/err.txt" | tail -20 >&2
    exit 1
fi
echo "OK: no 5xx, no schema violation"
