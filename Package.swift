// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swift-tubemq",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TubeMQCore", targets: ["TubeMQCore"]),
        .library(name: "TubeMQWire", targets: ["TubeMQWire"]),
        .library(name: "TubeMQRPC", targets: ["TubeMQRPC"]),
        .library(name: "TubeMQStorage", targets: ["TubeMQStorage"]),
        .library(name: "TubeMQMasterState", targets: ["TubeMQMasterState"]),
        .library(name: "TubeMQConfig", targets: ["TubeMQConfig"]),
        .library(name: "TubeMQMaster", targets: ["TubeMQMaster"]),
        .library(name: "TubeMQBroker", targets: ["TubeMQBroker"]),
        .library(name: "TubeMQClient", targets: ["TubeMQClient"]),
        .library(name: "TubeMQStandalone", targets: ["TubeMQStandalone"]),
        .library(name: "TubeMQMasterHTTP", targets: ["TubeMQMasterHTTP"]),
        .library(name: "TubeMQBrokerHTTP", targets: ["TubeMQBrokerHTTP"]),
        .executable(name: "tubemq", targets: ["tubemq"]),
        .executable(name: "tubemq-master", targets: ["tubemq-master"]),
        .executable(name: "tubemq-broker", targets: ["tubemq-broker"]),
        .library(name: "TubeMQConformance", targets: ["TubeMQConformance"]),
        .library(name: "TubeMQZooKeeper", targets: ["TubeMQZooKeeper"]),
        .executable(name: "tubemq-conformance", targets: ["tubemq-conformance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // MARK: value types
        .target(
            name: "TubeMQCore",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // MARK: wire protocol
        .target(
            name: "TubeMQWire",
            dependencies: [
                "TubeMQCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: RPC transport
        .target(
            name: "TubeMQRPC",
            dependencies: [
                "TubeMQWire",
                "TubeMQCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: storage
        .target(
            name: "CTubeMQURing",
            linkerSettings: [.linkedLibrary("uring")]
        ),
        .target(
            name: "TubeMQStorage",
            dependencies: [
                "TubeMQCore",
                "CTubeMQURing",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: master
        .target(
            name: "TubeMQMasterState",
            dependencies: ["TubeMQCore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TubeMQMaster",
            dependencies: [
                "TubeMQMasterState", "TubeMQRPC", "TubeMQWire", "TubeMQCore", "TubeMQZooKeeper",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: broker
        .target(
            name: "TubeMQBroker",
            dependencies: [
                "TubeMQStorage", "TubeMQRPC", "TubeMQWire", "TubeMQCore", "TubeMQZooKeeper",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: admin webapis (HTTP)
        .target(
            name: "TubeMQWebSupport",
            dependencies: [
                "TubeMQCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TubeMQMasterHTTP",
            dependencies: [
                "TubeMQWebSupport", "TubeMQMaster", "TubeMQMasterState", "TubeMQCore", "TubeMQRPC",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TubeMQBrokerHTTP",
            dependencies: [
                "TubeMQWebSupport", "TubeMQBroker", "TubeMQStorage", "TubeMQCore", "TubeMQRPC",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: in-process cluster (standalone command, end-to-end tests)
        .target(
            name: "TubeMQStandalone",
            dependencies: [
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                "TubeMQMaster", "TubeMQMasterState", "TubeMQBroker", "TubeMQStorage", "TubeMQCore",
                "TubeMQMasterHTTP", "TubeMQBrokerHTTP", "TubeMQRPC", "TubeMQConfig",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: executables
        .executableTarget(
            name: "tubemq",
            dependencies: [
                "TubeMQStandalone", "TubeMQStorage", "TubeMQClient", "TubeMQCore", "TubeMQRPC",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Histogram", package: "hdrhistogram-swift"), "TubeMQMasterHTTP", "TubeMQBrokerHTTP",
                "TubeMQWebSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "tubemq-master",
            dependencies: [
                "TubeMQStandalone", "TubeMQRPC", "TubeMQMaster", "TubeMQConfig", "TubeMQMasterHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "tubemq-broker",
            dependencies: [
                "TubeMQRPC",
                "TubeMQStandalone", "TubeMQBroker", "TubeMQStorage", "TubeMQConfig", "TubeMQBrokerHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: client library
        .target(
            name: "TubeMQClient",
            dependencies: [
                "TubeMQRPC", "TubeMQWire", "TubeMQCore",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: ZooKeeper client (master HA)
        .target(
            name: "TubeMQZooKeeper",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: test support shared by test targets: recorded wire vectors, the in-process test cluster, a manual clock
        .target(
            name: "TubeMQTestKit",
            dependencies: [
                "TubeMQStandalone", "TubeMQClient", "TubeMQMaster", "TubeMQBroker", "TubeMQStorage", "TubeMQRPC",
                "TubeMQCore", "TubeMQZooKeeper",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: configuration files (master.ini / broker.ini)
        .target(name: "TubeMQConfig", swiftSettings: strictSettings),
        // MARK: tests
        .testTarget(name: "TubeMQCoreTests", dependencies: ["TubeMQCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "TubeMQWireTests",
            dependencies: [
                "TubeMQWire", "TubeMQCore", "TubeMQTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQRPCTests",
            dependencies: [
                "TubeMQTestKit",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                "TubeMQRPC", "TubeMQWire", "TubeMQCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQStorageTests",
            dependencies: [
                "TubeMQTestKit",
                "TubeMQStorage", "TubeMQCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQMasterStateTests",
            dependencies: ["TubeMQMasterState", "TubeMQCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQMasterTests",
            dependencies: [
                "TubeMQTestKit",
                "TubeMQMaster", "TubeMQMasterState", "TubeMQRPC", "TubeMQWire", "TubeMQCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQBrokerTests",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                "TubeMQBroker", "TubeMQTestKit", "TubeMQStorage", "TubeMQRPC", "TubeMQWire", "TubeMQCore", "TubeMQZooKeeper",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQStandaloneTests",
            dependencies: [
                "TubeMQTestKit", "TubeMQStorage",
                "TubeMQStandalone", "TubeMQClient", "TubeMQMaster", "TubeMQMasterState", "TubeMQBroker", "TubeMQRPC", "TubeMQWire",
                "TubeMQCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQClientTests",
            dependencies: [
                "TubeMQTestKit",
                "TubeMQClient", "TubeMQMaster", "TubeMQMasterState", "TubeMQBroker", "TubeMQStorage", "TubeMQRPC",
                "TubeMQWire", "TubeMQCore", "TubeMQStandalone",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "TubeMQConfigTests", dependencies: ["TubeMQConfig"], swiftSettings: strictSettings),
        .testTarget(
            name: "TubeMQZooKeeperTests",
            dependencies: [
                "TubeMQZooKeeper", "TubeMQTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQHATests",
            dependencies: [
                "TubeMQTestKit", "TubeMQZooKeeper", "TubeMQMaster", "TubeMQMasterState", "TubeMQBroker",
                "TubeMQClient", "TubeMQRPC", "TubeMQWire", "TubeMQCore", "TubeMQMasterHTTP", "TubeMQWebSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQMasterHTTPTests",
            dependencies: [
                "TubeMQMasterHTTP", "TubeMQWebSupport", "TubeMQStandalone", "TubeMQMaster", "TubeMQMasterState",
                "TubeMQRPC", "TubeMQWire", "TubeMQCore", "TubeMQTestKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQBrokerHTTPTests",
            dependencies: [
                "TubeMQBrokerHTTP", "TubeMQWebSupport", "TubeMQBroker", "TubeMQStorage", "TubeMQRPC", "TubeMQWire",
                "TubeMQCore", "TubeMQTestKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // MARK: conformance suite (runs against any TubeMQ cluster)
        .target(
            name: "TubeMQConformance",
            dependencies: [
                "TubeMQClient", "TubeMQRPC", "TubeMQWire", "TubeMQCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Conformance/Sources/TubeMQConformance",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "tubemq-conformance",
            dependencies: [
                "TubeMQConformance", "TubeMQClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Conformance/Sources/tubemq-conformance",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TubeMQConformanceTests",
            dependencies: [
                "TubeMQTestKit",
                "TubeMQConformance", "TubeMQStandalone", "TubeMQBroker", "TubeMQClient", "TubeMQWire", "TubeMQCore",
                "TubeMQMaster", "TubeMQMasterHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Conformance/Tests/TubeMQConformanceTests",
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
