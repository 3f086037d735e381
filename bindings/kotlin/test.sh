#!/usr/bin/env bash
# Builds the Kotlin bindings from source and tests them on the JVM, on a fresh machine too:
#   1. the workspace build (the one cargo command shape; a no-op after the lead's build);
#   2. uniffi-bindgen (the workspace's own, same uniffi as the facade) generates the Kotlin from
#      libkargojet_ffi.so into <target>/uniffi/kotlin;
#   3. Maven (dependencies from Maven Central into ~/.m2) compiles it with the helpers and the
#      example, runs the JUnit scenario with JNA loading the cdylib from <target>/debug, and runs
#      the example.
# Honours CARGO_TARGET_DIR; exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
target="$(realpath -m "${CARGO_TARGET_DIR:-target}")"

# The same value as bindings/node/test.sh, so the builds of the two scripts are the same build.
export NAPI_TYPE_DEF_TMP_FOLDER="$target/napi-type-def"
mkdir -p "$NAPI_TYPE_DEF_TMP_FOLDER"
echo "== kotlin: cargo build --workspace --all-targets --locked"
nice -n 19 cargo build --workspace --all-targets --locked --quiet

lib="$target/debug/libkargojet_ffi.so"
generated="$target/uniffi/kotlin"
rm -rf "$generated"
"$target/debug/uniffi-bindgen" generate --library "$lib" --language kotlin --no-format \
  --config "$here/uniffi.toml" --out-dir "$generated" > /dev/null
[ -f "$generated/dev/kargojet/kargojet_ffi.kt" ] || { echo "uniffi wrote no Kotlin" >&2; exit 1; }

cd "$here"
rm -rf target/surefire-reports
echo "== kotlin: mvn test (JUnit on the JVM) and the example"
status=0
nice -n 19 mvn -B -q -Dstyle.color=never -Dcargo.target.dir="$target" -Duniffi.generated.dir="$generated" \
  test exec:exec 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' || status=$?
# Surefire's own summary, from its reports (mvn -q prints it only on failure).
python3 - target/surefire-reports <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tests = failures = errors = skipped = 0
for f in glob.glob(sys.argv[1] + "/TEST-*.xml"):
    s = ET.parse(f).getroot()
    tests += int(s.get("tests")); failures += int(s.get("failures")); errors += int(s.get("errors")); skipped += int(s.get("skipped"))
print(f"Tests run: {tests}, Failures: {failures}, Errors: {errors}, Skipped: {skipped}")
print(f"{tests - failures - errors - skipped} passed, {failures + errors} failed")
sys.exit(1 if tests == 0 or failures or errors else 0)
PY
exit "$status"
