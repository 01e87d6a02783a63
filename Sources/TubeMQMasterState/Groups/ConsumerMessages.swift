public import TubeMQCore

/// A consumer's request for bound consumption (`requireBound` and the fields that go with it).
public struct BoundConsumeRequest: Sendable, Hashable, Codable {
    /// The session every consumer of the bound group shares (`sessionKey`).
    public var sessionKey: String
    /// The session's start time the client sends (`sessionTime`).
    public var sessionTime: Int64
    /// How many consumers the session expects (`totalCount`).
    public var totalCount: Int32
    /// The partitions this consumer asks for, by ``TubeMQCore/Partition/key``, with the offset to start
    /// from (`requiredPartition`).
    public var requiredOffsets: [String: Int64]
    /// Whether the larger offset wins when two consumers ask for the same partition (`selectBig`).
    public var selectBig: Bool

    /// Creates a bound-consume request.
    public init(
        sessionKey: String,
        sessionTime: Int64 = 0,
        totalCount: Int32,
        requiredOffsets: [String: Int64],
        selectBig: Bool = true
    ) {
        self.sessionKey = sessionKey
        self.sessionTime = sessionTime
        self.totalCount = totalCount
        self.requiredOffsets = requiredOffsets
        self.selectBig = selectBig
    }
}

/// A consumer's registration (method 4, `RegisterRequestC2M`), with the strings already parsed.
public struct ConsumerRegistration: Sendable, Hashable {
    /// The consumer's client id.
    public var clientID: String
    /// The consumer group.
    public var group: String
    /// Its host name or address.
    public var hostName: String
    /// The subscribed topics (`topicList`).
    public var topics: Set<String>
    /// Filter items per topic (`topicCondition`, `topic#f1,f2`); topics without filters are absent.
    public var filters: [String: Set<String>]
    /// The partitions it still holds, e.g. when it registers again after a 411 (`subscribeInfo`).
    public var held: [Partition]
    /// Bound consumption, or `nil` for normal server-balanced consumption.
    public var bound: BoundConsumeRequest?
    /// Whether it came over the master's TLS port (the webapi's `isOverTLS`).
    public var overTLS: Bool

    /// Creates a registration.
    public init(
        clientID: String,
        group: String,
        hostName: String = "",
        topics: Set<String>,
        filters: [String: Set<String>] = [:],
        held: [Partition] = [],
        bound: BoundConsumeRequest? = nil,
        overTLS: Bool = false
    ) {
        self.overTLS = overTLS
        self.clientID = clientID
        self.group = group
        self.hostName = hostName
        self.topics = topics
        self.filters = filters
        self.held = held
        self.bound = bound
    }
}

/// The master's answer to a consumer registration (`RegisterResponseM2C`).
public struct ConsumerRegisterReply: Sendable, Hashable {
    /// True until some member of the group has acknowledged a rebalance event (`notAllocated`).
    public var notAllocated: Bool
}

/// A consumer heartbeat (method 5, `HeartRequestC2M`), with the strings already parsed.
public struct ConsumerHeartbeat: Sendable, Hashable {
    /// The consumer's client id.
    public var clientID: String
    /// The consumer group.
    public var group: String
    /// Every partition it holds when `reportSubscribeInfo` is true, otherwise `nil`: only such
    /// reports tell the master what a consumer holds.
    public var report: [Partition]?
    /// The event it processed since its last heartbeat, echoed with its status (`event`).
    public var ack: RebalanceEvent?

    /// Creates a heartbeat.
    public init(clientID: String, group: String, report: [Partition]? = nil, ack: RebalanceEvent? = nil) {
        self.clientID = clientID
        self.group = group
        self.report = report
        self.ack = ack
    }
}

/// The master's answer to a consumer heartbeat (`HeartResponseM2C`).
public struct ConsumerHeartbeatReply: Sendable, Hashable {
    /// The next rebalance event for the consumer, if one is ready (`event`, sent without `status`).
    public var event: RebalanceEvent?
    /// True until some member of the group has acknowledged a rebalance event (`notAllocated`).
    public var notAllocated: Bool
}
