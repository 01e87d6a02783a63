public import TubeMQCore

/// A client-balanced consumer's registration (method 20, `RegisterRequestC2MV2`), parsed.
public struct ClientBalanceRegistration: Sendable, Hashable {
    /// The consumer's client id.
    public var clientID: String
    /// The consumer group.
    public var group: String
    /// Its host name or address.
    public var hostName: String
    /// How many consumer nodes the group has (`sourceCount`); 0 or less when the client does not say.
    public var sourceCount: Int32
    /// This consumer's index among them (`nodeId`).
    public var nodeID: Int32
    /// The subscribed topics.
    public var topics: Set<String>
    /// Filter items per topic.
    public var filters: [String: Set<String>]
    /// What the client reports (`subRepInfo`), if anything.
    public var report: ClientBalanceReport
    /// The "consume from max offset" task version the client holds.
    public var consumeFromMaxID: Int64

    /// Creates a registration.
    public init(
        clientID: String,
        group: String,
        hostName: String,
        sourceCount: Int32 = 0,
        nodeID: Int32 = 0,
        topics: Set<String>,
        filters: [String: Set<String>] = [:],
        report: ClientBalanceReport = ClientBalanceReport(),
        consumeFromMaxID: Int64 = -2
    ) {
        self.clientID = clientID
        self.group = group
        self.hostName = hostName
        self.sourceCount = sourceCount
        self.nodeID = nodeID
        self.topics = topics
        self.filters = filters
        self.report = report
        self.consumeFromMaxID = consumeFromMaxID
    }
}

/// What a client-balanced consumer reports in register and heartbeat requests (`ClientSubRepInfo`).
public struct ClientBalanceReport: Sendable, Hashable {
    /// The broker-list version the client holds (-2 for none).
    public var brokerListID: Int64
    /// The topic-metadata version the client holds (-2 for none).
    public var topicMetaID: Int64
    /// When the client last changed its assignment (`lstAssignedTime`), -2 when not sent.
    public var lastAssignedAt: Int64
    /// The partitions it consumes, when it reports them (`reportSubInfo`), else `nil`.
    public var partitions: [ReportedPartition]?

    /// Creates a report.
    public init(
        brokerListID: Int64 = -2,
        topicMetaID: Int64 = -2,
        lastAssignedAt: Int64 = -2,
        partitions: [ReportedPartition]? = nil
    ) {
        self.brokerListID = brokerListID
        self.topicMetaID = topicMetaID
        self.lastAssignedAt = lastAssignedAt
        self.partitions = partitions
    }
}

/// The master's answer to a client-balanced register or heartbeat (methods 20 and 21) and to a
/// metadata request (22): the serving brokers and the group's topic placement, each versioned and
/// each sent only when the client's version is stale.
public struct ClientBalanceReply: Sendable, Hashable {
    /// The broker-list version (`brokerConfigId`).
    public var brokerListID: Int64
    /// The serving brokers, when the client's version differs; `nil` otherwise.
    public var brokers: [BrokerInfo]?
    /// The topic-metadata version, when the reply carries one (`topicMetaInfoId`).
    public var topicMetaID: Int64?
    /// The group's topic placement, when the client's version differs; `nil` otherwise.
    public var topicMeta: [TopicPartitionMeta]?
    /// The group's "consume from max offset" version when the client must apply it; `nil` otherwise.
    public var consumeFromMaxID: Int64?
}
