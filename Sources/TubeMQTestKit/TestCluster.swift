import Foundation
public import Logging
public import TubeMQBroker
public import TubeMQClient
public import TubeMQCore
public import TubeMQMaster
public import TubeMQRPC
public import TubeMQStandalone

/// A master and brokers in this process (a ``LocalCluster``), on free loopback ports, with timings
/// short enough for tests: the one in-process cluster of the client, standalone and conformance tests.
public final class TestCluster: Sendable {
    /// A topic to deploy on every broker.
    public struct Topic: Sendable {
        /// The topic name.
        public var name: String
        /// Partitions per storage instance.
        public var partitions: Int32
        /// Storage instances per broker.
        public var stores: Int32

        /// Creates a topic.
        public init(name: String, partitions: Int32 = 2, stores: Int32 = 1) {
            self.name = name
            self.partitions = partitions
            self.stores = stores
        }
    }

    /// The tests' logger: critical only, unless `TUBEMQ_TEST_LOG` is set.
    public static let logger: Logger = {
        var logger = Logger(label: "tubemq.test.cluster")
        logger.logLevel = ProcessInfo.processInfo.environment["TUBEMQ_TEST_LOG"] == nil ? .critical : .debug
        return logger
    }()

    /// The cluster.
    public let local: LocalCluster
    /// The folder holding the cluster's data, removed on ``shutdown()``.
    public let directory: String
    /// A raw RPC client for checks behind the client library's back.
    public let rpc = RPCClient()

    /// The master.
    public var master: MasterServer { local.master }
    /// The brokers, in id order.
    public var brokers: [BrokerServer] { local.brokers }
    /// The master's address for clients.
    public var masterAddress: MasterAddress { MasterAddress(host: "127.0.0.1", port: master.port) }

    private init(local: LocalCluster, directory: String) {
        self.local = local
        self.directory = directory
    }

    /// Starts a master and `brokerCount` brokers, deploys `topics` on every broker, and returns once
    /// producers would be told about every topic. Brokers fail over to `backupMasterPorts`.
    ///
    /// - Throws: when a port cannot be bound or the cluster does not come up in time.
    public static func start(
        brokerCount: Int = 1,
        topics: [Topic],
        balancePeriodMs: Int64 = 100,
        brokerConsumerTimeoutMillis: Int64 = 30_000,
        backupMasterPorts: [Int] = [],
        faults: _BrokerFaults = _BrokerFaults(),
        logger: Logger = TestCluster.logger,
        configure: (inout LocalClusterConfiguration, _ directory: String) -> Void = { _, _ in }
    ) async throws -> TestCluster {
        let directory = NSTemporaryDirectory() + "tubemq-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = LocalClusterConfiguration(
            masterPort: 0,
            brokerPorts: Array(repeating: 0, count: brokerCount),
            dataDirectory: directory,
            topics: [],
            firstBalanceDelayMs: balancePeriodMs,
            balancePeriodMs: balancePeriodMs,
            brokerHeartbeatPeriodMs: 50,
            io: .posix,
            masterWebPort: 0,
            brokerWebPorts: []
        )
        configuration.consumerHeartbeatTimeoutMs = 10_000
        configuration.producerHeartbeatTimeoutMs = 10_000
        configuration.brokerHeartbeatTimeoutMs = 10_000
        configuration.brokerConsumerTimeoutMs = brokerConsumerTimeoutMillis
        configuration.backupMasterPorts = backupMasterPorts
        configuration._brokerFaults = faults
        // HTTPS webapis (with `tls`) on free ports too.
        configuration.masterWebTLSPort = 0
        configuration.brokerWebTLSPorts = []
        configure(&configuration, directory)
        let local: LocalCluster
        do {
            local = try await LocalCluster.start(configuration: configuration, logger: logger)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        let cluster = TestCluster(local: local, directory: directory)
        do {
            for topic in topics { try await cluster.deploy(topic) }
        } catch {
            await cluster.shutdown()
            throw error
        }
        return cluster
    }

    /// Deploys `topic` on every broker and waits until the brokers serve it and producers are told about it.
    ///
    /// - Throws: the master's refusal, or ``TestTimeout``.
    public func deploy(_ topic: Topic) async throws {
        try await local.createTopic(
            LocalClusterConfiguration.Topic(name: topic.name, partitions: topic.partitions, stores: topic.stores)
        )
        try await eventually("producers are told about \(topic.name)") {
            guard let info = await self.master.master.publishInfo(topic: topic.name) else { return false }
            return info.brokers.count == self.brokers.count
        }
    }

    /// Every partition of `topic`.
    public func partitions(of topic: String) -> [Partition] {
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
    public func holdings(group: String) async -> [String: String] {
        var result: [String: String] = [:]
        for broker in brokers {
            for holding in await broker.holdings() where holding.group == group {
                result["\(broker.configuration.brokerID):\(holding.topic):\(holding.partitionID)"] = holding.consumerID
            }
        }
        return result
    }

    /// A producer configuration with short heartbeats and timeouts.
    public func producerConfiguration() -> Producer.Configuration {
        Producer.Configuration(masters: [masterAddress], heartbeatPeriod: .milliseconds(200), rpcTimeout: .seconds(5))
    }

    /// A consumer configuration with short heartbeats, back-offs and timeouts.
    public func consumerConfiguration(
        group: String,
        topics: [String],
        from start: Consumer.StartPosition = .first
    ) -> Consumer.Configuration {
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
    public func stopBroker(_ id: Int32) async {
        await local.stopBroker(id: id)
    }

    /// Stops everything and removes the data folder.
    public func shutdown() async {
        await rpc.shutdown()
        await local.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a fresh cluster, shutting it down afterwards.
    ///
    /// - Throws: what starting the cluster or `body` throws.
    public static func with<T>(
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
