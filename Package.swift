// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Warren",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "warren", targets: ["warren"]),
        .library(name: "WarrenCore", targets: ["WarrenCore"]),
        .library(name: "WarrenServer", targets: ["WarrenServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "WarrenCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt (KDF.Scrypt) for key files; 3.12's name for 4.x's CryptoExtras
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // The S3 storage's HTTP client (Repository/S3); SigV4 is signed with Crypto.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            plugins: ["EmbedMigrationsPlugin"]
        ),
        // The HTTP/JSON service (`warren serve`): router, controllers, jobs.
        .target(
            name: "WarrenServer",
            dependencies: [
                "WarrenCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            plugins: ["EmbedOpenAPIPlugin"]
        ),
        .executableTarget(
            name: "warren",
            dependencies: [
                "WarrenCore",
                "WarrenServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The socket client of `--socket` (HTTP over a Unix socket).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Micro benchmark of the encryption primitives on real files (Tools/bench crypto).
        .executableTarget(
            name: "WarrenCryptoBench",
            dependencies: ["WarrenCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Turns Migrations/*.sql into Swift string literals, so the schema travels inside
        // the binary (SwiftPM resources on Linux live in a side bundle that a copied binary
        // would lose).
        .executableTarget(name: "EmbedMigrations", path: "Sources/EmbedMigrations"),
        .plugin(
            name: "EmbedMigrationsPlugin",
            capability: .buildTool(),
            dependencies: ["EmbedMigrations"]
        ),
        // Turns docs/openapi.json into a Swift string literal for `GET /v1/openapi.json`.
        .executableTarget(name: "EmbedOpenAPI", path: "Sources/EmbedOpenAPI"),
        .plugin(
            name: "EmbedOpenAPIPlugin",
            capability: .buildTool(),
            dependencies: ["EmbedOpenAPI"]
        ),
        .testTarget(
            name: "WarrenCoreTests",
            dependencies: ["WarrenCore", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["IndexParsing/Fixtures"]  // real index files, read through #filePath
        ),
        // Drives the real `warren` binary against real RabbitMQ nodes (Tools/rabbitmq-node).
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "WarrenCore", "warren", .product(name: "GRDB", package: "GRDB.swift"),
                // The S3 tests call the storage from an event loop (it must refuse, not deadlock).
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "WarrenServerTests",
            dependencies: [
                "WarrenServer", "WarrenCore", "warren",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
