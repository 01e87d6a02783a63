import Foundation
import Logging
import TubeMQBroker
import TubeMQClient
import TubeMQConformance
import TubeMQStandalone

/// An in-process cluster (LocalCluster) on free ports with short balance timings, and the suite's
/// settings pointed at it.
enum ConformanceCluster {
    static let topic = "conformance"

    static let logger: Logger = {
        var logger = Logger(label: "tubemq.conformance.tests")
        logger.logLevel = ProcessInfo.processInfo.environment["TUBEMQ_TEST_LOG"] == nil ? .critical : .info
        return logger
    }()

    /// Starts a master with `brokers` brokers serving ``topic`` (4 partitions each), runs `body`, and stops it.
    static func with<T>(
        brokers: Int,
        faults: _BrokerFaults = _BrokerFaults(),
        _ body: (LocalCluster, ConformanceSettings) async throws -> T
    ) async throws -> T {
        let directory = NSTemporaryDirectory() + "tubemq-conformance-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = LocalClusterConfiguration(
            masterPort: 0,
            brokerPorts: Array(repeating: 0, count: brokers),
            dataDirectory: directory,
            topics: [LocalClusterConfiguration.Topic(name: topic, partitions: 4)],
            firstBalanceDelayMs: 200,
            balancePeriodMs: 200,
            brokerHeartbeatPeriodMs: 200,
            io: .posix,
            masterWebPort: 0,
            brokerWebPorts: []
        )
        configuration._brokerFaults = faults
        let cluster = try await LocalCluster.start(configuration: configuration, logger: logger)
        let settings = ConformanceSettings(
            masters: [MasterAddress(host: "127.0.0.1", port: cluster.master.port)],
            topic: topic,
            caseTimeout: .seconds(45),
            balanceWait: .seconds(30),
            heartbeatPeriod: .milliseconds(200),
            rpcTimeout: .seconds(5),
            logger: logger
        )
        do {
            let result = try await body(cluster, settings)
            await cluster.shutdown()
            return result
        } catch {
            await cluster.shutdown()
            throw error
        }
    }
}
