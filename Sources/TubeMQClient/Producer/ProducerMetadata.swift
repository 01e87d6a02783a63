import TubeMQCore
import TubeMQWire

/// What a producer knows about the cluster: brokers, the partitions of its topics, and which
/// brokers to avoid for a while. A pure value; ``Producer`` keeps it under a lock.
///
/// Brokers arrive in register replies and in heartbeat replies whose checksum changed (`brokerInfos`,
/// versioned by `brokerCheckSum`); partitions arrive only in heartbeat replies (`topicInfos`).
struct ProducerMetadata: Sendable {
    /// The checksum of ``brokers`` as the master last reported it; −1 asks for the full list.
    private(set) var brokerCheckSum: Int64 = -1
    /// Brokers by id.
    private(set) var brokers: [Int32: BrokerInfo] = [:]
    /// The topics' placements as last reported.
    private(set) var topics: [String: MetadataStrings.TopicInfo] = [:]
    /// The largest message (attributes and body) the cluster accepts, unless a topic says otherwise.
    var defaultMaxMessageSize = 1 << 20
    /// What a send needs of each topic, found with one dictionary lookup.
    private var routes: [String: TopicRoute] = [:]
    private var avoidUntil: [Int32: ContinuousClock.Instant] = [:]

    /// A topic's partitions in a stable order, where the round robin goes next, and the topic's own
    /// message size limit.
    private struct TopicRoute: Sendable {
        var partitions: [Partition]
        var next: Int
        var maxMessageSize: Int?
    }

    /// The partitions of `topic`, in a stable order; `nil` for a topic the master has not described.
    func partitions(of topic: String) -> [Partition]? {
        routes[topic]?.partitions
    }

    /// Takes the broker list of a register or heartbeat reply; an empty list means "unchanged".
    mutating func applyBrokers(checksum: Int64, infos: [String]) {
        guard !infos.isEmpty else { return }
        var parsed: [Int32: BrokerInfo] = [:]
        for info in infos {
            if let broker = MetadataStrings.parseBrokerInfo(info) { parsed[broker.id] = broker }
        }
        brokers = parsed
        brokerCheckSum = checksum
        rebuild()
    }

    /// Takes the `topicInfos` of a heartbeat reply; entries that do not parse are ignored.
    mutating func applyTopics(_ infos: [String]) {
        for info in infos {
            if let topic = MetadataStrings.TopicInfo(parsing: info) { topics[topic.topic] = topic }
        }
        rebuild()
    }

    /// Whether a topic refers to a broker this producer has no address for (then it asks for the full list).
    var missesBrokers: Bool {
        topics.values.contains { $0.placements.contains { brokers[$0.brokerID] == nil } }
    }

    /// Forgets the broker checksum so the next heartbeat brings the full broker list.
    mutating func forceBrokerRefresh() { brokerCheckSum = -1 }

    /// The largest message `topic` accepts.
    func maxMessageSize(of topic: String) -> Int {
        routes[topic]?.maxMessageSize ?? defaultMaxMessageSize
    }

    /// The next partition of `topic` round-robin, skipping brokers avoided until after `now` (the current
    /// time when `nil`, read only when some broker is avoided) and those in `excluding`, unless that
    /// leaves nothing.
    mutating func pick(topic: String, now: ContinuousClock.Instant?, excluding: Set<Int32> = []) -> Partition? {
        guard let position = routes.index(forKey: topic) else { return nil }
        let all = routes.values[position].partitions
        guard !all.isEmpty else { return nil }
        let start = routes.values[position].next
        routes.values[position].next = start &+ 1
        let now = avoidUntil.isEmpty ? nil : now ?? .now
        for step in 0..<all.count {
            let candidate = all[(start &+ step) % all.count]
            let avoided = now.map { now in avoidUntil[candidate.broker.id].map { $0 > now } ?? false } ?? false
            if !avoided && (excluding.isEmpty || !excluding.contains(candidate.broker.id)) { return candidate }
        }
        let fallback = all.filter { !excluding.contains($0.broker.id) }
        return fallback.isEmpty ? all[start % all.count] : fallback[start % fallback.count]
    }

    /// Avoids `brokerID` until `until` (after a 503 or a lost connection).
    ///
    /// - Returns: whether it was not avoided already (it is new, or its last avoidance was over).
    @discardableResult
    mutating func avoid(brokerID: Int32, until: ContinuousClock.Instant) -> Bool {
        let wasAvoided = avoidUntil[brokerID].map { $0 > .now } ?? false
        avoidUntil[brokerID] = until
        return !wasAvoided
    }

    private mutating func rebuild() {
        var result: [String: TopicRoute] = [:]
        for (name, topic) in topics {
            var list: [Partition] = []
            for placement in topic.placements {
                guard let broker = brokers[placement.brokerID] else { continue }
                list += placement.partitionIDs.map { Partition(broker: broker, topic: name, id: $0) }
            }
            result[name] = TopicRoute(
                partitions: list.sorted { ($0.broker.id, $0.id) < ($1.broker.id, $1.id) },
                next: routes[name]?.next ?? 0,
                maxMessageSize: topic.maxMessageSize.flatMap { $0 > 0 ? Int($0) : nil }
            )
        }
        routes = result
    }
}
