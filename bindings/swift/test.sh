#!/usr/bin/env bash
# Generates the Swift bindings from source and checks them (there is no Swift toolchain on the
# project's machines, so nothing is compiled):
#   1. the workspace build (the one cargo command shape; a no-op after the lead's build);
#   2. uniffi-bindgen generates KargoJet.swift, KargoJetFFI.h and KargoJetFFI.modulemap from
#      libkargojet_ffi.so into <target>/uniffi/swift;
#   3. check_generated.py checks every export of kargojet-ffi is declared (async as async);
#   4. the files are laid out for Package.swift under Sources/ (not committed).
# Honours CARGO_TARGET_DIR; exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
target="$(realpath -m "${CARGO_TARGET_DIR:-target}")"

# The same value as bindings/node/test.sh, so the builds of the scripts are the same build.
export NAPI_TYPE_DEF_TMP_FOLDER="$target/napi-type-def"
mkdir -p "$NAPI_TYPE_DEF_TMP_FOLDER"
echo "== swift: cargo build --workspace --all-targets --locked"
nice -n 19 cargo build --workspace --all-targets --locked --quiet

generated="$target/uniffi/swift"
rm -rf "$generated"
"$target/debug/uniffi-bindgen" generate --library "$target/debug/libkargojet_ffi.so" --language swift \
  --no-format --config "$here/uniffi.toml" --out-dir "$generated" > /dev/null

echo "== swift: the generated declarations"
python3 "$here/check_generated.py" "$generated" "$root/kargojet-ffi/src" "$here/Examples/Quickstart.swift"

mkdir -p "$here/Sources/KargoJet" "$here/Sources/KargoJetFFI"
cp "$generated/KargoJet.swift" "$here/Sources/KargoJet/KargoJet.swift"
cp "$generated/KargoJetFFI.h" "$here/Sources/KargoJetFFI/KargoJetFFI.h"
cp "$generated/KargoJetFFI.modulemap" "$here/Sources/KargoJetFFI/module.modulemap"
echo "swift: generated and checked (not compiled: no Swift toolchain here)"
