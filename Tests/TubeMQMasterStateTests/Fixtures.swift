import Testing
import TubeMQCore
import TubeMQMasterState

/// A master with broker 1 (127.0.0.1:8123) online and topics deployed on it, driven with explicit times.
struct TestCluster {
    static let broker = BrokerInfo(id: 1, host: "127.0.0.1", port: 8123)

    /// The recorded timings, except that the broker (which these tests do not heartbeat) never expires.
    static let timings: MasterTimings = {
        var timings = MasterTimings.recorded
        timings.brokerHeartbeatTimeoutMs = 3_600_000
        return timings
    }()

    var state: MasterState

    /// Creates the cluster at time 0 with the recorded timings (balance at 5 s, then every 5 s; 30 s
    /// consumer and 45 s producer timeouts).
    init(
        topics: [String] = ["tp"],
        partitions: Int32 = 2,
        stores: Int32 = 1,
        configuration: MasterTimings = TestCluster.timings
    ) throws {
        state = MasterState(configuration: configuration, now: 0)
        _ = try state.addBroker(BrokerSpec(id: 1, host: "127.0.0.1", manageStatus: .online), by: "admin", now: 0)
        for topic in topics {
            _ = try state.addTopicDeployment(
                topic: topic,
                brokerID: 1,
                settings: TopicSettingsPatch(numPartitions: partitions, numTopicStores: stores),
                by: "admin",
                now: 0
            )
        }
        let registered = try state.registerBroker(BrokerRegistration(id: 1, host: "127.0.0.1"), now: 0)
        _ = try state.brokerHeartbeat(
            BrokerHeartbeat(id: 1, online: true, configVersion: registered.configVersion),
            now: 0
        )
    }

    /// Broker 1 heartbeats holding its current configuration, as it does once it has applied an admin change.
    mutating func brokerLoadsItsConfiguration(now: Int64) throws {
        let version = try #require(state.broker(id: 1)).config.configVersion
        _ = try state.brokerHeartbeat(BrokerHeartbeat(id: 1, online: true, configVersion: version), now: now)
    }

    /// Partition `id` of `topic` on broker 1.
    static func partition(_ id: Int32, topic: String = "tp") -> Partition {
        Partition(broker: broker, topic: topic, id: id)
    }

    /// Registers a plain consumer of `topics` and, unless told not to, sends its first (empty)
    /// heartbeat at the same time, so the next balance round includes it.
    @discardableResult
    mutating func register(
        _ id: String,
        group: String = "gp",
        topics: Set<String> = ["tp"],
        now: Int64,
        heartbeat: Bool = true
    ) throws -> ConsumerRegisterReply {
        let reply = try state.registerConsumer(
            ConsumerRegistration(clientID: id, group: group, hostName: "127.0.0.1", topics: topics),
            now: now
        )
        if heartbeat { _ = try state.consumerHeartbeat(ConsumerHeartbeat(clientID: id, group: group), now: now) }
        return reply
    }

    /// Partition-key owners of a group as the master knows them.
    func owners(_ group: String = "gp") -> [String: [String]] { state.group(named: group)?.owners ?? [:] }
}

/// A consumer client that applies events and acknowledges them in its next heartbeat; by default it
/// reports its holdings on that heartbeat, as the Java client and the `probe-rebalance` probe do.
struct SimulatedConsumer {
    let id: String
    let group: String
    var reports = true
    private(set) var held: Set<String> = []
    private(set) var received: [RebalanceEvent] = []
    private var heldPartitions: [String: Partition] = [:]
    private var toAck: RebalanceEvent?

    /// A consumer holding `holding` (nothing by default).
    init(_ id: String, group: String = "gp", reports: Bool = true, holding: [Partition] = []) {
        self.id = id
        self.group = group
        self.reports = reports
        for partition in holding { heldPartitions[partition.key] = partition }
        held = Set(heldPartitions.keys)
    }

    /// Forgets `keys` without telling the master, as a client does when a restarted broker no longer
    /// knows its registration.
    mutating func drop(_ keys: Set<String>) {
        for key in keys { heldPartitions[key] = nil }
        held = Set(heldPartitions.keys)
    }

    /// Sends a heartbeat (acking the last event, with a report if configured) and applies any event.
    @discardableResult
    mutating func heartbeat(_ state: inout MasterState, now: Int64) throws -> ConsumerHeartbeatReply {
        let ack = toAck?.acknowledged()
        let report: [Partition]? = reports && ack != nil ? heldPartitions.values.sorted { $0.key < $1.key } : nil
        let reply = try state.consumerHeartbeat(
            ConsumerHeartbeat(clientID: id, group: group, report: report, ack: ack),
            now: now
        )
        toAck = nil
        if let event = reply.event {
            received.append(event)
            toAck = event
            for partition in event.partitions {
                switch event.type {
                case .onlyConnect: heldPartitions[partition.key] = partition
                case .onlyDisconnect: heldPartitions[partition.key] = nil
                default: break
                }
            }
            held = Set(heldPartitions.keys)
        }
        return reply
    }

    /// Whether an event waits to be acknowledged.
    var hasUnackedEvent: Bool { toAck != nil }
}

/// Asserts-friendly check: no partition key is held by two simulated clients.
func disjoint(_ consumers: [SimulatedConsumer]) -> Bool {
    var seen: Set<String> = []
    for consumer in consumers {
        guard seen.isDisjoint(with: consumer.held) else { return false }
        seen.formUnion(consumer.held)
    }
    return true
}

extension TestCluster {
    /// Registers consumer `id` in group `gp`, runs the first balance (at 5 s) and lets it take and
    /// acknowledge its event: it then holds every partition of `tp`.
    mutating func settledConsumer(_ id: String) throws -> SimulatedConsumer {
        try register(id, now: 0)
        var consumer = SimulatedConsumer(id)
        _ = state.balance(now: 5_000)
        try consumer.heartbeat(&state, now: 5_001)
        try consumer.heartbeat(&state, now: 5_002)
        return consumer
    }
}

extension MasterState {
    /// Stops publishing and subscribing on a deployment, then soft-deletes it, as an admin must.
    @discardableResult
    mutating func stopAndDeleteTopicDeployment(
        topic: String,
        brokerID: Int32,
        by user: String,
        now: Int64
    ) throws(MasterError) -> [MasterDirective] {
        let stopped = TopicSettingsPatch(acceptPublish: false, acceptSubscribe: false)
        if let settings = self.topic(named: topic)?.deployment(on: brokerID)?.settings,
            settings.acceptPublish || settings.acceptSubscribe
        {
            _ = try updateTopicDeployment(topic: topic, brokerID: brokerID, settings: stopped, by: user, now: now)
        }
        return try deleteTopicDeployment(topic: topic, brokerID: brokerID, by: user, now: now)
    }
}
