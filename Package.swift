// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "qor",
    products: [
        .executable(name: "qor", targets: ["qor"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        .target(name: "Common"),
        .target(name: "Netlist", dependencies: ["Common"]),
        .target(name: "Flows", dependencies: ["Common"]),
        .target(name: "Synthesis", dependencies: ["Common", "Netlist", "Flows"]),
        .target(name: "Store", dependencies: ["Common", "Netlist", "Flows", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Labelling", dependencies: ["Common", "Netlist", "Flows", "Synthesis", "Store"]),
        .target(name: "Cluster", dependencies: ["Common", "Store", "Synthesis", "Flows", "Labelling"]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Kernels", cSettings: [.unsafeFlags(["-O3"])], linkerSettings: [.linkedLibrary("dnnl"), .linkedLibrary("gomp")]),
        // Training speed (qor bench train, issue 14): the tape's class properties were checked for
        // exclusive access at run time on every op (swift_beginAccess, AccessSet::insert), and its
        // generic Tape<S> code ran unspecialised from QoRModel (witness-table Float arithmetic);
        // cross-module optimisation lets callers specialise it for Float. Root-package unsafeFlags.
        .target(name: "Tensor", dependencies: ["Common", "CBLAS", "Kernels"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"]),
                                .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]),
        .target(name: "QoRModel", dependencies: ["Common", "Tensor", "Netlist", "Flows"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"]),
                                .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]),
        .target(name: "Reports", dependencies: ["Common", "QoRModel", "Netlist", "Tensor"]),
        .target(name: "Search", dependencies: ["Common", "QoRModel", "Store", "Synthesis", "Flows", "Netlist", "Labelling"]),
        .target(name: "Workflows", dependencies: ["Common", "QoRModel", "Store", "Synthesis", "Flows", "Netlist", "Labelling", "Reports", "Tensor"]),
        .target(name: "Benchmarks", dependencies: ["Common", "Netlist", "Flows", "Synthesis", "Store", "Tensor", "QoRModel", "Search", "Workflows", "Kernels"]),
        .executableTarget(
            name: "qor",
            dependencies: [
                "Common", "Netlist", "Flows", "Synthesis", "Store", "Labelling", "Tensor", "QoRModel", "Reports", "Cluster", "Search", "Workflows",
                "Benchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Common"]),
        .testTarget(name: "CommonTests", dependencies: ["TestSupport", "Common"]),
        .testTarget(name: "NetlistTests", dependencies: ["TestSupport", "Netlist", "Synthesis", "Common"]),
        .testTarget(name: "FlowsTests", dependencies: ["TestSupport", "Flows", "Common"]),
        .testTarget(name: "SynthesisTests", dependencies: ["TestSupport", "Synthesis", "Common"]),
        .testTarget(name: "StoreTests", dependencies: ["TestSupport", "Store", "Common", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TensorTests", dependencies: ["TestSupport", "Tensor"]),
        .testTarget(name: "QoRModelTests", dependencies: ["TestSupport", "QoRModel", "Common"]),
        .testTarget(name: "ReportsTests", dependencies: ["TestSupport", "Reports", "Common", "QoRModel", "Flows", "Netlist"]),
        .testTarget(name: "SearchTests", dependencies: ["TestSupport", "Common", "Search", "Store", "Synthesis", "QoRModel", "Netlist", "Flows"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "qor", "Netlist", "Store", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
