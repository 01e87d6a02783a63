import Foundation
import Logging
import NIOCore
import SystemPackage
import TubeMQBroker
import TubeMQRPC

enum BrokerTestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "tubemq.test.broker")
        logger.logLevel = .warning
        return logger
    }()

    static func temporaryDirectory() -> FilePath {
        let path = NSTemporaryDirectory() + "tubemq-broker-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return FilePath(path)
    }

    /// Runs `body` with a broker (id 1, no master) serving `topics`, in a fresh or given directory.
    static func withBroker<T>(
        topics: [BrokerTopic],
        directory: FilePath? = nil,
        consumerTimeoutMillis: Int64 = 30_000,
        _ body: (BrokerServer, RPCClient) async throws -> T
    ) async throws -> T {
        let dir = directory ?? temporaryDirectory()
        let broker = try await BrokerServer.start(
            configuration: BrokerConfiguration(
                brokerID: 1,
                port: 0,
                dataDirectory: dir,
                consumerTimeoutMillis: consumerTimeoutMillis,
                io: .posix
            ),
            topics: topics,
            logger: logger
        )
        let client = RPCClient()
        do {
            let result = try await body(broker, client)
            await client.shutdown()
            await broker.shutdown()
            if directory == nil { try? FileManager.default.removeItem(atPath: dir.string) }
            return result
        } catch {
            await client.shutdown()
            await broker.shutdown()
            throw error
        }
    }
}
