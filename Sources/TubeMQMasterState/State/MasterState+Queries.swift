import TubeMQCore

/// A broker's record together with its run state, for the webapi.
public struct BrokerStatus: Sendable, Hashable {
    /// The durable record.
    public var config: BrokerRecord
    /// Whether the broker process is connected.
    public var runState: BrokerRunState
    /// When it last registered (ms), if it did since the master started.
    public var registeredAt: Int64?
    /// When its last register or heartbeat arrived (ms), if any.
    public var lastHeartbeatAt: Int64?
    /// Whether it serves TLS, if it registered.
    public var enableTLS: Bool?
    /// The TLS port clients on the master's TLS port are told: the one the broker reported when it
    /// registered, else its record's.
    public var tlsPort: Int
    /// Whether it is in the broker list clients get.
    public var isServing: Bool
    /// Whether the broker holds the current configuration version (`isConfLoaded`).
    public var isConfigLoaded: Bool
    /// Its last service status report, if it registered (`isRepAbnormal`, `repStatus`).
    public var reported: BrokerServiceReport?
    /// The topics the broker serves, by name, as of the configuration it was given at registration or
    /// last reported holding (see ``MasterState/servedShare(of:on:)``); empty until it registers.
    public var servedShares: [String: TopicPublishInfo.BrokerShare]
}

extension MasterState {
    /// Every broker, sorted by id.
    public var brokers: [BrokerStatus] { brokerConfigs.keys.sorted().compactMap { broker(id: $0) } }

    /// One broker's record and run state.
    public func broker(id: Int32) -> BrokerStatus? {
        guard let config = brokerConfigs[id] else { return nil }
        let runtime = brokerRuntimes[id]
        let seen = runtime.map { $0.state != .unregistered } ?? false
        return BrokerStatus(
            config: config,
            runState: runtime?.state ?? .unregistered,
            registeredAt: seen ? runtime?.registeredAt : nil,
            lastHeartbeatAt: seen ? runtime?.lastHeartbeatAt : nil,
            enableTLS: seen ? runtime?.enableTLS : nil,
            tlsPort: (seen ? runtime?.tlsPort : nil) ?? config.tlsPort,
            isServing: isServing(id),
            isConfigLoaded: runtime?.reportedConfigVersion == config.configVersion,
            reported: seen ? runtime?.reported : nil,
            servedShares: runtime?.loadedShares ?? [:]
        )
    }

    /// Every topic, sorted by name.
    public var topics: [Topic] { topicsByName.values.sorted { $0.name < $1.name } }

    /// One topic.
    public func topic(named name: String) -> Topic? { topicsByName[name] }

    /// Every registered producer, sorted by client id.
    public var producers: [ProducerRecord] { producersByID.values.sorted { $0.clientID < $1.clientID } }

    /// One producer.
    public func producer(clientID: String) -> ProducerRecord? { producersByID[clientID] }

    /// Every consumer group with members, sorted by name.
    public var groups: [ConsumerGroup] { groupsByName.values.sorted { $0.name < $1.name } }

    /// One consumer group.
    public func group(named name: String) -> ConsumerGroup? { groupsByName[name] }

    /// One consumer and the group it is in.
    public func consumer(clientID: String) -> (group: String, member: ConsumerMember)? {
        guard let name = groupOfConsumer[clientID], let member = groupsByName[name]?.members[clientID] else {
            return nil
        }
        return (name, member)
    }

    /// The names of the groups subscribing `topic`, sorted (`admin_query_group_info_by_topic`).
    public func groups(subscribing topic: String) -> [String] {
        groupsByName.values.filter { $0.topics.contains(topic) }.map(\.name).sorted()
    }

    /// Every group's durable settings, sorted by name.
    public var groupSettings: [GroupSettings] { groupSettingsByName.values.sorted { $0.name < $1.name } }

    /// One group's durable settings.
    public func groupSettings(named name: String) -> GroupSettings? { groupSettingsByName[name] }

    /// Bound consumption: the start offset assigned for `partitionKey` in `group`, once the group
    /// has been balanced. The actor passes it to the broker registration flow.
    public func boundOffset(group name: String, partitionKey: String) -> Int64? {
        groupsByName[name]?.boundOffsets[partitionKey]
    }
}
