// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "qor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "qor", targets: ["qor"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .target(name: "Netlist"),
        .target(name: "Flows"),
        .target(name: "Synthesis", dependencies: ["Netlist", "Flows"]),
        .target(name: "Store", dependencies: ["Netlist", "Flows", "Synthesis", .product(name: "GRDB", package: "GRDB.swift")]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Tensor", dependencies: ["CBLAS"]),
        .target(name: "QoRModel", dependencies: ["Tensor", "Netlist", "Flows"]),
        .target(name: "Reports", dependencies: ["QoRModel", "Store"]),
        .target(name: "Search", dependencies: ["QoRModel", "Store", "Synthesis", "Flows", "Netlist"]),
        .executableTarget(
            name: "qor",
            dependencies: [
                "Netlist", "Flows", "Synthesis", "Store", "Tensor", "QoRModel", "Reports", "Search",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "NetlistTests", dependencies: ["Netlist"]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows"]),
        .testTarget(name: "SynthesisTests", dependencies: ["Synthesis"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "QoRModelTests", dependencies: ["QoRModel"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Store", "Synthesis", "QoRModel", "Netlist", "Flows"]),
        .testTarget(name: "CLITests", dependencies: ["qor", "Netlist", "Store"]),
    ]
)
