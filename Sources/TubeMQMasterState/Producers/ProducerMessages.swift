public import TubeMQCore

/// A registered producer as the master tracks it (never persisted).
public struct ProducerRecord: Sendable, Hashable {
    /// The producer's client id.
    public internal(set) var clientID: String
    /// The host name or address it reported.
    public internal(set) var hostName: String
    /// The topics it publishes to, from its latest register or heartbeat.
    public internal(set) var topics: Set<String>
    /// When it registered (ms).
    public internal(set) var registeredAt: Int64
    /// When its latest register or heartbeat arrived (ms).
    public internal(set) var lastHeartbeatAt: Int64
}

/// A producer's registration (method 1, `RegisterRequestP2M`).
public struct ProducerRegistration: Sendable, Hashable {
    /// The producer's client id.
    public var clientID: String
    /// Its host name or address.
    public var hostName: String
    /// The topics it names (usually empty: topics arrive with heartbeats).
    public var topics: [String]
    /// The broker-list checksum it holds (−1 initially).
    public var brokerChecksum: Int64

    /// Creates a registration.
    public init(clientID: String, hostName: String, topics: [String] = [], brokerChecksum: Int64 = -1) {
        self.clientID = clientID
        self.hostName = hostName
        self.topics = topics
        self.brokerChecksum = brokerChecksum
    }
}

/// The master's answer to a producer registration (`RegisterResponseM2P`).
public struct ProducerRegisterReply: Sendable, Hashable {
    /// The current broker-list checksum (`brokerCheckSum`).
    public var brokerChecksum: Int64
    /// Every broker in service, sorted by id; register replies always carry them (`brokerInfos`).
    public var brokers: [BrokerInfo]
    /// The cluster's default maximum message size in bytes (`appdConfig.maxMsgSize`).
    public var maxMsgSize: Int32
}

/// A producer heartbeat (method 2, `HeartRequestP2M`).
public struct ProducerHeartbeat: Sendable, Hashable {
    /// The producer's client id.
    public var clientID: String
    /// Its host name or address.
    public var hostName: String
    /// Every topic it publishes to; replaces the previous list.
    public var topics: [String]
    /// The broker-list checksum it holds.
    public var brokerChecksum: Int64

    /// Creates a heartbeat.
    public init(clientID: String, hostName: String = "", topics: [String], brokerChecksum: Int64) {
        self.clientID = clientID
        self.hostName = hostName
        self.topics = topics
        self.brokerChecksum = brokerChecksum
    }
}

/// The master's answer to a producer heartbeat (`HeartResponseM2P`).
public struct ProducerHeartbeatReply: Sendable, Hashable {
    /// The current broker-list checksum (`brokerCheckSum`).
    public var brokerChecksum: Int64
    /// The brokers in service, or `nil` when the producer's checksum is current (field left out).
    public var brokers: [BrokerInfo]?
    /// The partition map of the producer's topics that have a broker taking messages (`topicInfos`).
    public var topics: [TopicPublishInfo]
    /// The cluster's default maximum message size in bytes (`appdConfig.maxMsgSize`).
    public var maxMsgSize: Int32
}
