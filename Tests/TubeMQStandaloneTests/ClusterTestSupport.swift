import Foundation
import Logging
import TubeMQRPC
import TubeMQStandalone
import TubeMQTestKit

enum ClusterTestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "tubemq.test.cluster")
        logger.logLevel = .warning
        return logger
    }()

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "tubemq-cluster-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes a broker.ini for `tubemq-broker` at `path`: broker `id` on `port` (its webapi on a free
    /// port), registering with the master on `masterPort`, data in `data`; `extra` lines are added to
    /// `[broker]`.
    static func writeBrokerINI(
        _ path: String,
        id: Int,
        port: Int,
        masterPort: Int,
        data: String,
        extra: String = ""
    ) async throws {
        try """
        [broker]
        brokerId=\(id)
        hostName=127.0.0.1
        port=\(port)
        webPort=\(try await unusedPort())
        masterAddressList=127.0.0.1:\(masterPort)
        primaryPath=\(data)
        maxSegmentSize=1073741824
        transferSize=524288
        \(extra)
        """.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A configuration on free ports with short timings.
    static func configuration(
        brokers: Int,
        topics: [LocalClusterConfiguration.Topic],
        directory: String
    )
        -> LocalClusterConfiguration
    {
        LocalClusterConfiguration(
            masterPort: 0,
            brokerPorts: Array(repeating: 0, count: brokers),
            dataDirectory: directory,
            topics: topics,
            firstBalanceDelayMs: 200,
            balancePeriodMs: 200,
            brokerHeartbeatPeriodMs: 200,
            io: .posix,
            masterWebPort: 0,
            brokerWebPorts: []
        )
    }

    static func withCluster<T>(
        brokers: Int = 2,
        topics: [LocalClusterConfiguration.Topic],
        directory: String? = nil,
        _ body: (LocalCluster, RPCClient) async throws -> T
    ) async throws -> T {
        let dir = directory ?? temporaryDirectory()
        let cluster = try await LocalCluster.start(
            configuration: configuration(brokers: brokers, topics: topics, directory: dir),
            logger: logger
        )
        let client = RPCClient()
        do {
            let result = try await body(cluster, client)
            await client.shutdown()
            await cluster.shutdown()
            if directory == nil { try? FileManager.default.removeItem(atPath: dir) }
            return result
        } catch {
            await client.shutdown()
            await cluster.shutdown()
            throw error
        }
    }
}
