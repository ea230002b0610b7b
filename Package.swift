// swift-tools-version:6.0
// Tern: Berkeley DB 5.3 compatible transactional store, in Swift.
// The C library is the `tern` dynamic product; `make` links it with the Swift
// runtime inside and a version script (tern.map) that exports only libdb's
// public entry points, versioned DB5_3.
import PackageDescription

let package = Package(
    name: "Tern",
    products: [
        .library(name: "tern", type: .dynamic, targets: ["Tern"]),
    ],
    targets: [
        // include/db.h, the public C ABI, seen from Swift.
        .systemLibrary(name: "CBerkeleyDB", path: "include"),
        // The few things Swift cannot express: C variadic methods and
        // function-pointer types with variadic parameters.
        .target(name: "CTern", dependencies: ["CBerkeleyDB"],
                cSettings: [.headerSearchPath("../../include")]),
        // Atomic operations on region memory (Swift's Atomic cannot be placed
        // at an offset in a mapped file).
        .target(name: "CTernAtomics"),
        .target(name: "TernEngine", dependencies: ["CBerkeleyDB", "CTernAtomics"]),
        .target(name: "Tern", dependencies: ["TernEngine", "CTern", "CBerkeleyDB"]),
        .testTarget(name: "TernTests", dependencies: ["Tern", "TernEngine", "CBerkeleyDB"]),
    ],
    swiftLanguageModes: [.v6]
)
