import Foundation
import Logging
import NIOCore
import SwiftProtobuf
import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// A master on 127.0.0.1 (a free port) driven by a ``ManualClock``, with an RPC client per protocol
/// version.
final class TestMaster: Sendable {
    /// Logs go nowhere unless `TUBEMQ_TEST_LOG` is set.
    static let logger: Logger = {
        if ProcessInfo.processInfo.environment["TUBEMQ_TEST_LOG"] != nil {
            var logger = Logger(label: "tubemq.master.test")
            logger.logLevel = .trace
            return logger
        }
        return Logger(label: "tubemq.master.test", factory: { _ in SwiftLogNoOpLogHandler() })
    }()

    /// The recorded master's timings (balance after 5 s and every 5 s, consumer 30 s, producer 45 s),
    /// with a broker timeout long enough that a test's broker never expires.
    static let recordedTimings: MasterServer.Configuration = {
        var configuration = MasterServer.Configuration(
            host: "127.0.0.1",
            port: 0,
            firstBalanceDelayMs: 5_000,
            balancePeriodMs: 5_000,
            consumerHeartbeatTimeoutMs: 30_000,
            producerHeartbeatTimeoutMs: 45_000,
            brokerHeartbeatTimeoutMs: 3_600_000
        )
        configuration.balancesWhenAMemberLeaves = false  // the recorded master waited for its period
        return configuration
    }()

    /// The broker of the recordings: id 1 at 127.0.0.1:8123.
    static let brokerClientID = "1:127.0.0.1:8123:2.5.0-SNAPSHOT"

    let server: MasterServer
    let clock: ManualClock
    private let clients: [Int32: RPCClient]

    var master: Master { server.master }
    var port: Int { server.port }

    private init(server: MasterServer, clock: ManualClock) {
        self.server = server
        self.clock = clock
        self.clients = [2: RPCClient(configuration: .init(protocolVersion: 2)), 3: RPCClient()]
    }

    /// Starts a master; `store` defaults to a fresh in-memory store.
    static func start(
        configuration: MasterServer.Configuration = recordedTimings,
        clock: ManualClock = ManualClock(),
        store: (any MetadataStore)? = nil
    ) async throws -> TestMaster {
        // Without a store and a data directory, a fresh in-memory store; with a data directory, the
        // server opens its file store.
        let store = store ?? (configuration.dataDirectory == nil ? MemoryMetadataStore() : nil)
        let server = try await MasterServer.start(
            configuration: configuration,
            clock: clock,
            store: store,
            logger: logger
        )
        return TestMaster(server: server, clock: clock)
    }

    /// Runs `body` with a started master and always stops it.
    @discardableResult
    static func with<T>(
        configuration: MasterServer.Configuration = recordedTimings,
        clock: ManualClock = ManualClock(),
        store: (any MetadataStore)? = nil,
        _ body: (TestMaster) async throws -> T
    ) async throws -> T {
        let harness = try await start(configuration: configuration, clock: clock, store: store)
        do {
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            await harness.stop()
            throw error
        }
    }

    /// Closes the clients and shuts the server down.
    func stop() async {
        for client in clients.values { await client.shutdown() }
        await server.shutdown()
    }

    /// Moves the clock to `target`, running the master's due work at every deadline on the way (as
    /// its timer would in real time).
    func advance(to target: Int64) async {
        for _ in 0..<100_000 {
            let deadline = await master.nextDeadline
            guard deadline <= target else { break }
            clock.advance(to: deadline)
            await master._runDueWork()
        }
        clock.advance(to: target)
    }

    /// Moves the clock forward by `milliseconds` (see ``advance(to:)``).
    func advance(by milliseconds: Int64) async {
        await advance(to: clock.now() + milliseconds)
    }

    /// A typed call to the master.
    func call<Response: SwiftProtobuf.Message>(
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        protocolVersion: Int32 = 3,
        as type: Response.Type = Response.self
    ) async throws -> Response {
        try await client(protocolVersion).call(method, request, host: "127.0.0.1", port: port, as: type)
    }

    /// A raw call: any method id, any body, any service type.
    func raw(
        method: Int32,
        request: ByteBuffer?,
        serviceType: ServiceType?,
        protocolVersion: Int32 = 3
    ) async throws
        -> ResponseEnvelope
    {
        try await client(protocolVersion).raw(
            method: method,
            request: request,
            host: "127.0.0.1",
            port: port,
            serviceType: serviceType
        )
    }

    private func client(_ version: Int32) -> RPCClient { clients[version] ?? clients[3] ?? RPCClient() }

    // MARK: - The recorded cluster

    /// Adds broker 1 (127.0.0.1:8123, online, 2 partitions per store by default) and deploys
    /// `topics` on it with the admin API (each inherits 2 partitions × 1 store, or
    /// `partitions[topic]`), then registers and heartbeats the broker over RPC (methods 7 and 8), so
    /// it serves.
    @discardableResult
    func setUpRecordedCluster(topics: [String], partitions: [String: Int32] = [:]) async throws -> RegisterResponseM2B {
        try await configureRecordedCluster(topics: topics, partitions: partitions)
        let registered: RegisterResponseM2B = try await call(.brokerRegister, Self.brokerRegistration())
        let _: HeartResponseM2B = try await call(
            .brokerHeartbeat,
            Self.brokerHeartbeat(confID: registered.curBrokerConfID, checksum: registered.confCheckSumID)
        )
        return registered
    }

    /// Adds broker 1 and deploys `topics` on it with the admin API, as ``setUpRecordedCluster(topics:partitions:)``
    /// does, without registering the broker.
    func configureRecordedCluster(topics: [String], partitions: [String: Int32] = [:]) async throws {
        try await master.addBroker(
            BrokerSpec(
                id: 1,
                host: "127.0.0.1",
                port: 8123,
                manageStatus: .online,
                settings: TopicSettingsPatch(numPartitions: 2)
            ),
            by: "test"
        )
        for topic in topics {
            try await master.addTopicDeployment(
                topic: topic,
                brokerID: 1,
                settings: TopicSettingsPatch(numPartitions: partitions[topic]),
                by: "test"
            )
        }
    }

    /// A fresh broker process's registration, as recorded (`brokerOnline` false, no config held).
    static func brokerRegistration(clientID: String = brokerClientID) -> RegisterRequestB2M {
        var request = RegisterRequestB2M()
        request.clientID = clientID
        request.brokerOnline = false
        request.enableTls = false
        request.readStatusRpt = 0
        request.writeStatusRpt = 0
        request.curBrokerConfID = 0
        request.confCheckSumID = 0
        request.brokerDefaultConfInfo = ""
        request.flowCheckID = -2
        request.qryPriorityID = -2
        request.tlsPort = 8124
        var config = ClusterConfig()
        config.configID = -2
        request.clsConfig = config
        return request
    }

    /// A broker heartbeat holding configuration `confID`.
    static func brokerHeartbeat(brokerID: String = "1", confID: Int64, checksum: Int32 = 0) -> HeartRequestB2M {
        var request = HeartRequestB2M()
        request.brokerID = brokerID
        request.brokerOnline = true
        request.readStatusRpt = 0
        request.writeStatusRpt = 0
        request.curBrokerConfID = confID
        request.confCheckSumID = checksum
        request.takeConfInfo = false
        request.takeRemovedTopicInfo = false
        return request
    }
}
