// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "concord",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "concord", targets: ["concord"]),
        .library(name: "ConcordCore", targets: ["ConcordCore"]),
        .library(name: "ConcordServer", targets: ["ConcordServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .target(
            name: "ConcordCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/ConcordCore"
        ),
        .target(
            name: "ConcordServer",
            dependencies: [
                "ConcordCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Sources/ConcordServer",
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "concord",
            dependencies: [
                "ConcordServer",
                "ConcordCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Sources/concord"
        ),
        .executableTarget(
            name: "concord-bench",
            dependencies: ["ConcordCore"],
            path: "Benchmarks/LookupBenchmark"
        ),
        .executableTarget(
            name: "concord-bench-governance",
            dependencies: ["ConcordCore"],
            path: "Benchmarks/GovernanceBenchmark"
        ),
        .executableTarget(
            name: "concord-capture-gen",
            dependencies: ["ConcordCore"],
            path: "Benchmarks/CaptureGenerator"
        ),
        .target(
            name: "ConcordTestTools",
            path: "Tests/ConcordTestTools"
        ),
        .testTarget(
            name: "ConcordCoreTests",
            dependencies: ["ConcordCore", "ConcordTestTools"],
            path: "Tests/ConcordCoreTests"
        ),
        .testTarget(
            name: "ConcordServerTests",
            dependencies: [
                "ConcordServer",
                "ConcordTestTools",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            path: "Tests/ConcordServerTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)

// CI (scripts/test) builds with CONCORD_WARNINGS_AS_ERRORS=1: a warning in Concord's own code fails
// the build there. Only these targets: the dependencies' warnings are theirs.
if Context.environment["CONCORD_WARNINGS_AS_ERRORS"] == "1" {
    for target in package.targets {
        target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
    }
}
