#!/usr/bin/env python3
"""Checks uniffi's Swift output against kargojet-ffi's exports (no Swift toolchain here).

    check_generated.py <generated dir> <kargojet-ffi/src> [example.swift]

Reads every `#[uniffi::export]` method and function, every `uniffi::Record`, `uniffi::Enum`,
`uniffi::Object` and `uniffi::Error` from the Rust sources, and checks that the generated
KargoJet.swift declares each under its Swift name (async methods as `async throws`, the
error with one case per variant), and that the C header and module map are there. With an
example, also checks that every method it calls on `kj`/`KargoJet` and every record it builds
is declared. Prints what is missing and exits 1, or prints `N passed, 0 failed`.
"""
import re
import sys
from pathlib import Path


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def exports(src: Path):
    """(methods, constructors, functions, types, error variants) exported by the Rust sources."""
    methods, constructors, functions, types, variants = {}, [], [], [], []
    for path in sorted(src.glob("*.rs")):
        text = path.read_text(encoding="utf-8")
        # `#[uniffi::export] impl X { ... }` blocks: methods and constructors.
        for m in re.finditer(r"#\[uniffi::export\]\s*impl\s+(\w+)\s*\{", text):
            depth, i = 1, m.end()
            while depth and i < len(text):
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            body = text[m.end():i]
            for f in re.finditer(r"(#\[uniffi::constructor\]\s*)?pub\s+(async\s+)?fn\s+(\w+)", body):
                if f.group(1):
                    constructors.append(f.group(3))
                else:
                    methods[f.group(3)] = bool(f.group(2))
        for f in re.finditer(r"#\[uniffi::export\]\s*pub\s+(async\s+)?fn\s+(\w+)", text):
            functions.append(f.group(2))
        for t in re.finditer(r"#\[derive\([^)]*uniffi::(Record|Enum|Object|Error)[^)]*\)\]\s*pub\s+(?:struct|enum)\s+(\w+)", text):
            types.append((t.group(1), t.group(2)))
        # The error enum is declared through a macro: its variants are listed at the call.
        call = re.search(r"kargojet_error!\s*\{(.*?)\n\}", text, re.S)
        if call:
            variants += re.findall(r"^\s*(\w+),\s*$", call.group(1), re.M)
    return methods, constructors, functions, types, variants


def main() -> int:
    out, src = Path(sys.argv[1]), Path(sys.argv[2])
    swift = (out / "KargoJet.swift").read_text(encoding="utf-8")
    methods, constructors, functions, types, variants = exports(src)
    checks = []

    def check(what: str, ok: bool):
        checks.append((what, ok))

    check("KargoJetFFI.h exists", (out / "KargoJetFFI.h").is_file())
    check("KargoJetFFI.modulemap exists", (out / "KargoJetFFI.modulemap").is_file())
    check("class KargoJet", re.search(r"^open class KargoJet\b", swift, re.M) is not None)
    check("enum KargoJetError", re.search(r"^(public )?enum KargoJetError: Swift\.Error", swift, re.M) is not None)
    check("func quote(", "func quote(" in swift)
    check("async", re.search(r"\)\s*async throws", swift) is not None)
    check("at least 30 methods found in the Rust sources", len(methods) >= 30)
    for name, is_async in sorted(methods.items()):
        sig = re.search(r"open func " + camel(name) + r"\(([^)]*)\)\s*(async )?throws|open func " + camel(name) + r"\(([^)]*)\)\s*->", swift)
        check(f"method {camel(name)}", sig is not None)
        if sig is not None:
            check(f"method {camel(name)} is {'async' if is_async else 'not async'}", bool(sig.group(2)) == is_async)
    for name in constructors:
        pattern = r"public convenience init\(" if name == "new" else r"public static func " + camel(name) + r"\("
        check(f"constructor {name}", re.search(pattern, swift) is not None)
    for name in functions:
        check(f"function {camel(name)}", re.search(r"^public func " + camel(name) + r"\(", swift, re.M) is not None)
    for kind, name in types:
        if kind == "Record":
            pattern = r"^public struct " + name + r"\b"
        elif kind == "Object":
            pattern = r"^open class " + name + r"\b"
        else:
            pattern = r"^(public )?(indirect )?enum " + name + r"\b"
        check(f"{kind.lower()} {name}", re.search(pattern, swift, re.M) is not None)
    check("error variants found", len(variants) >= 10)
    for v in variants:
        check(f"KargoJetError.{v}", re.search(r"case " + v + r"\(", swift) is not None)

    if len(sys.argv) > 3:
        example = Path(sys.argv[3]).read_text(encoding="utf-8")
        for name in sorted(set(re.findall(r"\bkj\.(\w+)\(", example))):
            check(f"example: kj.{name}", re.search(r"open func " + name + r"\(", swift) is not None)
        for name in sorted(set(re.findall(r"\bKargoJet\.(\w+)\(", example))):
            check(f"example: KargoJet.{name}", re.search(r"public static func " + name + r"\(", swift) is not None)
        records = {n for k, n in types if k == "Record"}
        for name in sorted(set(re.findall(r"\b([A-Z]\w+)\(", example)) & records):
            check(f"example: {name}(...)", re.search(r"^public struct " + name + r"\b", swift, re.M) is not None)

    failed = [w for w, ok in checks if not ok]
    for w in failed:
        print(f"missing in the generated Swift: {w}")
    print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
