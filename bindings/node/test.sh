#!/usr/bin/env bash
# Builds the Node package from source and tests it, on a fresh machine too:
#   1. the workspace build (the one cargo command shape; a no-op after the lead's build) with
#      NAPI_TYPE_DEF_TMP_FOLDER set, so napi-derive writes the TypeScript definitions;
#   2. npm ci (the pinned @napi-rs/cli, typescript, @types/node) into bindings/node;
#   3. scripts/generate.mjs: kargojet.<platform>.node, index.js, index.d.ts;
#   4. tsc --noEmit on the TypeScript example, then the example compiled and run;
#   5. node --test test/*.test.mjs (the scenario, errors, 1,000 concurrent quotes, bulk, helpers);
#   6. npm pack, installed into an empty project and required from there.
# Honours CARGO_TARGET_DIR; exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
target="$(realpath -m "${CARGO_TARGET_DIR:-target}")"

# Only kargojet-node's build script watches this variable (the Kotlin and Swift scripts set the
# same value, so switching between them rebuilds nothing).
export NAPI_TYPE_DEF_TMP_FOLDER="$target/napi-type-def"
mkdir -p "$NAPI_TYPE_DEF_TMP_FOLDER"
if [ ! -s "$NAPI_TYPE_DEF_TMP_FOLDER/kargojet-node" ]; then
  # The crate may be fresh from a build without the variable: make napi-derive run once more.
  export NAPI_FORCE_BUILD_KARGOJET_NODE="$(date +%s)"
fi
echo "== node: cargo build --workspace --all-targets --locked"
nice -n 19 cargo build --workspace --all-targets --locked --quiet

cd "$here"
echo "== node: npm ci"
nice -n 19 npm ci --no-audit --no-fund --loglevel=error
node scripts/generate.mjs "$target" "$NAPI_TYPE_DEF_TMP_FOLDER"

echo "== node: tsc --noEmit examples/quickstart.ts"
npx tsc -p examples/tsconfig.json --noEmit
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
npx tsc -p examples/tsconfig.json --outDir "$scratch/dist"
# The compiled example resolves `kargojet` through this package's exports (a self-reference).
cp -r "$scratch/dist" "$here/examples/.dist-check"
trap 'rm -rf "$scratch" "$here/examples/.dist-check"' EXIT
node "$here/examples/.dist-check/quickstart.js" "$scratch/label.pdf" > "$scratch/quickstart.out"
grep -q "tracking history" "$scratch/quickstart.out"
[ "$(head -c 4 "$scratch/label.pdf")" = "%PDF" ] || { echo "the example's label is not a PDF" >&2; exit 1; }
echo "example ran: $(head -1 "$scratch/quickstart.out"), label $(stat -c %s "$scratch/label.pdf") bytes"

echo "== node: node --test (with --expose-gc)"
node --expose-gc --test test/*.test.mjs

echo "== node: npm pack + install"
npm pack --silent --pack-destination "$scratch" > "$scratch/pack.out"
tarball="$scratch/$(tail -1 "$scratch/pack.out")"
mkdir -p "$scratch/app"
(
  cd "$scratch/app"
  printf '{"name":"kargojet-pack-check","version":"1.0.0","private":true}\n' > package.json
  npm install --no-audit --no-fund --offline --loglevel=error "$tarball"
  node -e '
    const { KargoJet, errorCodes } = require("kargojet")
    const kj = KargoJet.sandbox()
    const p = (name, province, district, line) => ({ name, phone: "0532 123 45 67", address: { province, district, line } })
    const q = kj.quoteSync({ shipment: {
      sender: p("Moda Tekstil", "İstanbul", "Kadıköy", "Caferağa Mah. Moda Cad. No: 12"),
      recipient: p("Ayşe Yılmaz", "Van", "İpekyolu", "Cumhuriyet Cad. No: 5"),
      parcels: [{ lengthCm: "40", widthCm: "30", heightCm: "20", weightKg: "3.2" }],
    } })
    if (q.offers.length < 5 || errorCodes().length < 40) throw new Error("the installed package does not work")
    console.log(`installed package: ${q.offers.length} offers, ${errorCodes().length} error codes`)
  '
  [ -f node_modules/kargojet/index.d.ts ] || { echo "index.d.ts is not in the package" >&2; exit 1; }
)
echo "node: all green"
