import Foundation
import Logging
import Synchronization
import SystemPackage
import TubeMQBroker
import TubeMQClient
import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQRPC

/// A master and brokers in this process, on free loopback ports, with timings short enough for tests.
final class TestCluster: Sendable {
    /// A topic to deploy on every broker.
    struct Topic: Sendable {
        var name: String
        var partitions: Int32 = 2
        var stores: Int32 = 1
    }

    static let logger: Logger = {
        var logger = Logger(label: "tubemq.test.client")
        logger.logLevel = ProcessInfo.processInfo.environment["TUBEMQ_TEST_LOG"] == nil ? .critical : .debug
        return logger
    }()

    let master: MasterServer
    let brokers: [BrokerServer]
    let directory: String
    private let stopped = Mutex<Set<Int32>>([])
    /// A raw RPC client for checks behind the client library's back.
    let rpc = RPCClient()

    var masterAddress: MasterAddress { MasterAddress(host: "127.0.0.1", port: master.port) }

    private init(master: MasterServer, brokers: [BrokerServer], directory: String) {
        self.master = master
        self.brokers = brokers
        self.directory = directory
    }

    /// Starts a master and `brokerCount` brokers, deploys `topics` on every broker, and returns once
    /// producers would be told about every topic. Brokers fail over to `backupMasterPorts`.
    static func start(
        brokerCount: Int = 1,
        topics: [Topic],
        balancePeriodMs: Int64 = 100,
        brokerConsumerTimeoutMillis: Int64 = 30_000,
        backupMasterPorts: [Int] = []
    ) async throws -> TestCluster {
        let directory = NSTemporaryDirectory() + "tubemq-client-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let master = try await MasterServer.start(
            configuration: MasterServer.Configuration(
                host: "127.0.0.1",
                port: 0,
                dataDirectory: nil,
                firstBalanceDelayMs: balancePeriodMs,
                balancePeriodMs: balancePeriodMs,
                consumerHeartbeatTimeoutMs: 10_000,
                producerHeartbeatTimeoutMs: 10_000,
                brokerHeartbeatTimeoutMs: 10_000
            ),
            logger: logger
        )
        var brokers: [BrokerServer] = []
        do {
            for id in 1...Int32(brokerCount) {
                let broker = try await BrokerServer.start(
                    configuration: BrokerConfiguration(
                        brokerID: id,
                        port: 0,
                        dataDirectory: FilePath(directory).appending("broker-\(id)"),
                        masterAddresses: [("127.0.0.1", master.port)] + backupMasterPorts.map { ("127.0.0.1", $0) },
                        heartbeatPeriodMillis: 50,
                        consumerTimeoutMillis: brokerConsumerTimeoutMillis,
                        io: .posix
                    ),
                    logger: logger
                )
                brokers.append(broker)
                _ = try await master.master.addBroker(
                    BrokerSpec(id: id, host: "127.0.0.1", port: broker.port, manageStatus: .online),
                    by: "test"
                )
            }
            let cluster = TestCluster(master: master, brokers: brokers, directory: directory)
            for topic in topics { try await cluster.deploy(topic) }
            return cluster
        } catch {
            for broker in brokers { await broker.shutdown() }
            await master.shutdown()
            throw error
        }
    }

    /// Deploys `topic` on every broker and waits until the brokers serve it and producers are told about it.
    func deploy(_ topic: Topic) async throws {
        for broker in brokers {
            _ = try await master.master.addTopicDeployment(
                topic: topic.name,
                brokerID: broker.configuration.brokerID,
                settings: TopicSettingsPatch(numPartitions: topic.partitions, numTopicStores: topic.stores),
                by: "test"
            )
        }
        try await eventually("brokers serve \(topic.name)") {
            guard let info = await self.master.master.publishInfo(topic: topic.name) else { return false }
            return info.brokers.count == self.brokers.count
                && self.brokers.allSatisfy { $0.topics.contains { $0.name == topic.name } }
        }
    }

    /// Every partition of `topic`.
    func partitions(of topic: String) -> [Partition] {
        brokers.flatMap { broker in
            (broker.topics.first { $0.name == topic }?.partitionIDs ?? []).map {
                Partition(
                    broker: BrokerInfo(id: broker.configuration.brokerID, host: "127.0.0.1", port: broker.port),
                    topic: topic,
                    id: $0
                )
            }
        }
    }

    /// Who holds which partition of `group` on the brokers: partition key → consumer id.
    func holdings(group: String) async -> [String: String] {
        var result: [String: String] = [:]
        for broker in brokers {
            for holding in await broker.holdings() where holding.group == group {
                result["\(broker.configuration.brokerID):\(holding.topic):\(holding.partitionID)"] = holding.consumerID
            }
        }
        return result
    }

    func producerConfiguration() -> Producer.Configuration {
        Producer.Configuration(masters: [masterAddress], heartbeatPeriod: .milliseconds(200), rpcTimeout: .seconds(5))
    }

    func consumerConfiguration(
        group: String,
        topics: [String],
        from start: Consumer.StartPosition = .first
    )
        -> Consumer.Configuration
    {
        var configuration = Consumer.Configuration(
            masters: [masterAddress],
            group: group,
            topics: topics,
            startPosition: start,
            heartbeatPeriod: .milliseconds(100),
            rpcTimeout: .seconds(5)
        )
        configuration.minimumFetchBackoff = .milliseconds(20)
        configuration.maximumFetchBackoff = .milliseconds(100)
        configuration.confirmTimeout = .seconds(5)
        return configuration
    }

    /// Stops one broker (as if it crashed, from the clients' point of view) while the master still lists it.
    func stopBroker(_ id: Int32) async {
        guard let broker = brokers.first(where: { $0.configuration.brokerID == id }),
            stopped.withLock({ $0.insert(id).inserted })
        else { return }
        await broker.shutdown()
    }

    func shutdown() async {
        await rpc.shutdown()
        for broker in brokers where stopped.withLock({ $0.insert(broker.configuration.brokerID).inserted }) {
            await broker.shutdown()
        }
        await master.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a fresh cluster, shutting it down afterwards.
    static func with<T>(
        brokerCount: Int = 1,
        topics: [Topic],
        brokerConsumerTimeoutMillis: Int64 = 30_000,
        _ body: (TestCluster) async throws -> T
    ) async throws -> T {
        let cluster = try await start(
            brokerCount: brokerCount,
            topics: topics,
            brokerConsumerTimeoutMillis: brokerConsumerTimeoutMillis
        )
        do {
            let result = try await body(cluster)
            await cluster.shutdown()
            return result
        } catch {
            await cluster.shutdown()
            throw error
        }
    }
}

struct TestTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Polls `condition` every 10 ms until it holds, failing after `timeout`.
func eventually(
    _ what: String,
    timeout: Duration = .seconds(15),
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw TestTimeout(description: "timed out waiting until \(what)")
}
