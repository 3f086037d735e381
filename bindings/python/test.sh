#!/usr/bin/env bash
# Tests the Python binding from a fresh machine: creates a venv outside the clone, installs
# maturin, pytest, pytest-asyncio and mypy from PyPI, builds the wheel (dev profile, in the
# shared cargo target dir) and installs it, then runs stubtest, mypy --strict on the examples
# and tests, pytest, and the quickstart example.
#
#   bindings/python/test.sh                  # everything
#   PY=python3.12 bindings/python/test.sh    # another interpreter (CPython >= 3.9)
#
# CARGO_TARGET_DIR is honoured; the venv lives at ${CARGO_TARGET_DIR:-<repo>/target}/py-venv.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
VENV=${KARGOJET_PY_VENV:-$TARGET/py-venv}
PY=${PY:-python3}

step() { echo "::: python: $*"; }

if [ ! -x "$VENV/bin/python" ]; then
  step "creating $VENV"
  "$PY" -m venv "$VENV"
fi
step "installing maturin, pytest, pytest-asyncio, mypy"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  'maturin>=1.16,<2' 'pytest>=8' 'pytest-asyncio>=0.23' 'mypy>=1.10'

step "building and installing the wheel (dev profile)"
WHEELS="$TARGET/py-wheels"
rm -rf "$WHEELS"
( cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" nice -n 19 "$VENV/bin/maturin" build -i "$VENV/bin/python" \
    -m bindings/python/Cargo.toml --profile dev -o "$WHEELS" )
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
  "$WHEELS"/kargojet-*.whl

# Run from outside the source tree so `import kargojet` is the installed wheel.
cd "$TARGET"
step "stubtest"
"$VENV/bin/python" -m mypy.stubtest kargojet --allowlist "$HERE/stubtest-allowlist.txt"
step "mypy --strict (examples, tests)"
( cd "$HERE" && "$VENV/bin/python" -m mypy --strict --cache-dir "$TARGET/mypy-cache" examples tests )
step "pytest"
"$VENV/bin/python" -m pytest -q -p no:cacheprovider -c "$HERE/pyproject.toml" --rootdir "$HERE" "$HERE/tests"
step "example: quickstart.py"
OUT=$(mktemp -d)
"$VENV/bin/python" "$HERE/examples/quickstart.py" "$OUT" > "$OUT/quickstart.txt"
head -c 4 "$OUT/label.pdf" | grep -q '%PDF'
grep -q 'Teslim edildi' "$OUT/quickstart.txt"
rm -rf "$OUT"
step "ok"
