public import TubeMQCore

/// The TubeMQ master's cluster state machine: brokers, topics, producers, consumer groups and the
/// balancer, with no I/O and no clock.
///
/// Every mutating call takes `now` (milliseconds since the epoch, from the caller's clock) and
/// returns what the caller must do: a typed reply for the RPC, ``MasterDirective``s to persist or
/// log, or a thrown ``MasterError`` whose code and text go into the response's `errCode`/`errMsg`.
/// The master actor owns one value of this type and calls it from its RPC handlers (methods 1–9),
/// its webapi and its timers (``tick(now:)`` at ``nextDeadline``).
///
/// Calls must come in the order their requests arrived; the struct assumes nothing else.
public struct MasterState: Sendable {
    /// The timing knobs.
    public private(set) var configuration: MasterTimings
    /// The cluster default settings.
    public internal(set) var clusterSettings: ClusterSettings
    /// When the master started (ms); the first balance round is due `firstBalanceDelayMs` later.
    public let startedAt: Int64
    /// When the next balance round is due (ms).
    public internal(set) var nextBalanceAt: Int64
    /// When the latest balance round ran (ms), if one has.
    public internal(set) var lastBalanceAt: Int64? = nil
    /// The id of the latest balance round; every round takes the next id, whether or not it
    /// produces events (as the recorded master does).
    public internal(set) var lastRebalanceID: Int64
    /// The version of the list of brokers in service (`brokerCheckSum`): the time the list last
    /// changed, strictly increasing.
    public internal(set) var brokerChecksum: Int64
    /// The brokers in service (registered, heartbeating online, manage status online/read/write).
    public internal(set) var servingBrokers: [BrokerInfo]

    var brokerConfigs: [Int32: BrokerRecord] = [:]
    var brokerRuntimes: [Int32: BrokerRuntime] = [:]
    var topicsByName: [String: Topic] = [:]
    var groupSettingsByName: [String: GroupSettings] = [:]
    var producersByID: [String: ProducerRecord] = [:]
    var groupsByName: [String: ConsumerGroup] = [:]
    /// Topics groups may not consume now for want of a grant (``setUnauthorizedTopics(_:)``); run-time only.
    var unauthorizedTopics: [String: Set<String>] = [:]
    /// Which group each consumer client id is in.
    var groupOfConsumer: [String: String] = [:]
    /// The client-balanced groups (methods 20–22), apart from the server-balanced ones.
    var clientGroupsByName: [String: ClientBalanceGroup] = [:]
    /// Which client-balanced group each such consumer is in.
    var clientGroupOfConsumer: [String: String] = [:]

    /// Creates an empty master that started at `now`.
    public init(
        configuration: MasterTimings = MasterTimings(),
        clusterSettings: ClusterSettings = ClusterSettings(),
        now: Int64
    ) {
        self.configuration = configuration
        self.clusterSettings = clusterSettings
        self.startedAt = now
        self.nextBalanceAt = now + configuration.firstBalanceDelayMs
        self.lastRebalanceID = 0
        self.brokerChecksum = now
        self.servingBrokers = []
    }

    /// Restores a master from its durable state; it starts at `now` with no clients connected and
    /// every broker unregistered.
    public init(snapshot: MasterSnapshot, configuration: MasterTimings = MasterTimings(), now: Int64) {
        self.init(configuration: configuration, clusterSettings: snapshot.cluster, now: now)
        self.lastRebalanceID = snapshot.lastRebalanceID
        for broker in snapshot.brokers { brokerConfigs[broker.id] = broker }
        for topic in snapshot.topics { topicsByName[topic.name] = topic }
        for group in snapshot.groups { groupSettingsByName[group.name] = group }
    }

    /// The durable state, for the metadata store.
    public func snapshot() -> MasterSnapshot {
        MasterSnapshot(
            cluster: clusterSettings,
            brokers: brokerConfigs.values.sorted { $0.id < $1.id },
            topics: topicsByName.values.sorted { $0.name < $1.name },
            groups: groupSettingsByName.values.sorted { $0.name < $1.name },
            lastRebalanceID: lastRebalanceID
        )
    }

    /// Changes the timing knobs; the next balance round keeps its due time.
    public mutating func reconfigure(_ configuration: MasterTimings) {
        self.configuration = configuration
    }
}

// MARK: - Timers

/// What one ``MasterState/tick(now:)`` did.
public struct TickResult: Sendable, Hashable {
    /// Expiries and broker-list changes, in order.
    public var directives: [MasterDirective]
    /// The balance round that ran, or `nil` if none was due.
    public var balance: BalanceReport?
}

extension MasterState {
    /// Runs what is due at `now`: expires silent clients and brokers, then runs a balance round if
    /// one is due. The actor calls it from a timer set to ``nextDeadline``.
    public mutating func tick(now: Int64) -> TickResult {
        let directives = expire(now: now)
        if now >= nextBalanceAt { refreshClientBalanceMeta(now: now) }
        let report = now >= nextBalanceAt ? balance(now: now) : nil
        return TickResult(directives: directives, balance: report)
    }

    /// The earliest time at which ``tick(now:)`` has something to do: the next balance round or the
    /// next possible heartbeat expiry.
    public var nextDeadline: Int64 {
        var deadline = nextBalanceAt
        for producer in producersByID.values {
            deadline = min(deadline, producer.lastHeartbeatAt + configuration.producerHeartbeatTimeoutMs)
        }
        for group in groupsByName.values {
            for member in group.members.values {
                deadline = min(deadline, member.lastHeartbeatAt + configuration.consumerHeartbeatTimeoutMs)
            }
        }
        for group in clientGroupsByName.values {
            for member in group.members.values {
                deadline = min(deadline, member.lastHeartbeatAt + configuration.consumerHeartbeatTimeoutMs)
            }
        }
        for runtime in brokerRuntimes.values where runtime.state == .registered || runtime.state == .online {
            deadline = min(deadline, runtime.lastHeartbeatAt + configuration.brokerHeartbeatTimeoutMs)
        }
        return deadline
    }
}

extension Int64 {
    /// A version stamp after `self`: `now` if that is later, else `self + 1`.
    func nextVersion(now: Int64) -> Int64 { Swift.max(now, self + 1) }
}
