// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Vigil", targets: ["VigilModel", "VigilCompiler"]),
        .executable(name: "vigil", targets: ["vigil"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "VigilModel",
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilCompiler",
            dependencies: [
                "VigilModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilModel",
                "VigilCompiler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilTestSupport",
            dependencies: ["VigilModel", "VigilCompiler"],
            path: "Tests/VigilTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilModelTests",
            dependencies: ["VigilModel", "VigilTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilCompilerTests",
            dependencies: [
                "VigilModel", "VigilCompiler", "VigilTestSupport",
                // The model digest test hashes the model's bytes itself.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilTests",
            dependencies: ["VigilModel", "VigilCompiler", "VigilTestSupport", "vigil"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ]
)
