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

    /// Starts `tubemq-master` with a master.ini in `directory` (loopback, free RPC and web ports, metadata
    /// in `directory`; `extra` lines added to `[master]`) and waits until it is ready or has exited.
    /// Returns the process, its RPC port and the file its output goes to.
    static func startMasterProcess(
        in directory: String,
        extra: String = ""
    ) async throws -> (process: ChildProcess, port: Int, output: String) {
        let port = try await unusedPort()
        try """
        [master]
        hostName=127.0.0.1
        port=\(port)
        webPort=\(try await unusedPort())
        webResourcePath=resources
        metaDataPath=\(directory)/meta
        \(extra)

        """.write(toFile: directory + "/master.ini", atomically: true, encoding: .utf8)
        let binary = URL(fileURLWithPath: ConsumeInterruptTests.binary).deletingLastPathComponent()
            .appendingPathComponent("tubemq-master").path
        let output = directory + "/master.out"
        let master = try ChildProcess.spawn([binary, "--config", directory + "/master.ini"], output: output)
        do {
            try await eventually("the master is ready") {
                ConsumeInterruptTests.text(output).contains("tubemq-master ready") || master.hasExited()
            }
        } catch {
            master.signal(SIGKILL)
            throw error
        }
        return (master, port, output)
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
