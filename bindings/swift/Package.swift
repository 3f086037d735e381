// swift-tools-version:5.9
// KargoJet for Swift: the uniffi-generated bindings of kargojet-ffi. `test.sh` generates
// Sources/KargoJet/KargoJet.swift and Sources/KargoJetFFI/{KargoJetFFI.h,module.modulemap}
// (not committed) from the facade's cdylib. The library links libkargojet_ffi from the cargo
// target dir; build it first (`cargo build --release -p kargojet-ffi`, or set KARGOJET_LIB_DIR).
// Not built here: this machine has no Swift toolchain (see README.md).
import Foundation
import PackageDescription

let libDir = ProcessInfo.processInfo.environment["KARGOJET_LIB_DIR"] ?? "../../target/release"

let package = Package(
    name: "KargoJet",
    platforms: [.macOS(.v12), .iOS(.v15)],
    products: [
        .library(name: "KargoJet", targets: ["KargoJet"]),
    ],
    targets: [
        .systemLibrary(name: "KargoJetFFI", path: "Sources/KargoJetFFI"),
        .target(
            name: "KargoJet",
            dependencies: ["KargoJetFFI"],
            path: "Sources/KargoJet",
            linkerSettings: [
                .linkedLibrary("kargojet_ffi"),
                .unsafeFlags(["-L", libDir]),
            ]
        ),
        .executableTarget(name: "Quickstart", dependencies: ["KargoJet"], path: "Examples"),
    ]
)
