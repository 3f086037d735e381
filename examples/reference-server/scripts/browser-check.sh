#!/usr/bin/env bash
# The docs page renders in a real browser: headless Chromium (Debian's `chromium`) loads
# /docs from a running kargojet-server with every host but 127.0.0.1 unresolvable (so nothing
# can come from a CDN), and the DOM must show the quote operation. Keeps a screenshot in
# examples/reference-server/docs/docs-page.png.
#
# Installs chromium itself when missing (apt-get; sudo when not root). Builds the server when
# its binary is missing. Exit status 0 = the page rendered the operation.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/debug/kargojet-server"
shot="$here/docs/docs-page.png"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@";
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@";
    else echo "need root (or passwordless sudo) to run: $*" >&2; return 1; fi
}

if ! command -v chromium >/dev/null; then
    echo "== installing chromium"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
fi

if [ ! -x "$bin" ]; then
    echo "== building kargojet-server"
    (cd "$root" && nice -n 19 cargo build -p kargojet-server)
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "== starting kargojet-server in $work"
(cd "$work" && exec "$bin" --port 0 >"$work/out.txt" 2>"$work/err.txt") &
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

# No network: every name resolves to nothing except the loopback address the server is on.
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
       --disable-extensions --disable-sync --no-first-run --disable-dev-shm-usage
       --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
       --user-data-dir="$work/profile" --virtual-time-budget=15000)

echo "== loading $base/docs/ in headless chromium"
timeout 120 chromium "${flags[@]}" --dump-dom "$base/docs/" >"$work/dom.html" 2>"$work/chromium.log" || true
checks=("operations-quotes-createQuote" "/v1/quotes" "KargoJet API")
for c in "${checks[@]}"; do
    if ! grep -q -- "$c" "$work/dom.html"; then
        echo "FAIL: the rendered DOM does not contain '$c'" >&2
        tail -20 "$work/chromium.log" >&2
        exit 1
    fi
done
echo "   DOM shows: ${checks[*]}"

mkdir -p "$(dirname "$shot")"
timeout 120 chromium "${flags[@]}" --window-size=1280,1600 --hide-scrollbars \
    --screenshot="$shot" "$base/docs/" >/dev/null 2>>"$work/chromium.log" || true
if [ ! -s "$shot" ]; then
    echo "FAIL: no screenshot" >&2
    exit 1
fi
echo "   screenshot: $shot ($(stat -c %s "$shot") bytes)"
echo "OK: the docs page renders offline and shows the quote operation"
