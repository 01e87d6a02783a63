public import TubeMQCore

/// A broker's registration (method 7, `RegisterRequestB2M`), with its client id already parsed.
public struct BrokerRegistration: Sendable, Hashable {
    /// The broker id (first field of its client id `id:ip:port:version`).
    public var id: Int32
    /// The address it registers from.
    public var host: String
    /// Its RPC port.
    public var port: Int
    /// Whether it serves TLS (`enableTls`).
    public var enableTLS: Bool
    /// The TLS port it reports (`tlsPort`), if any.
    public var tlsPort: Int?
    /// Whether it already considers itself online (`brokerOnline`; false on a fresh start).
    public var online: Bool
    /// The configuration version it holds (`curBrokerConfId`; 0 on a fresh start).
    public var configVersion: Int64
    /// Its service status reports (`readStatusRpt`, `writeStatusRpt`): 0 when normal.
    public var reported = BrokerServiceReport()

    /// Creates a registration.
    public init(
        id: Int32,
        host: String,
        port: Int = BrokerInfo.defaultPort,
        enableTLS: Bool = false,
        tlsPort: Int? = nil,
        online: Bool = false,
        configVersion: Int64 = 0
    ) {
        self.id = id
        self.host = host
        self.port = port
        self.enableTLS = enableTLS
        self.tlsPort = tlsPort
        self.online = online
        self.configVersion = configVersion
    }
}

/// A broker heartbeat (method 8, `HeartRequestB2M`).
public struct BrokerHeartbeat: Sendable, Hashable {
    /// The broker id.
    public var id: Int32
    /// Whether it is serving (`brokerOnline`).
    public var online: Bool
    /// The configuration version it holds (`curBrokerConfId`).
    public var configVersion: Int64
    /// Topics it has removed from its stores (`removedTopicsInfo`), by name.
    public var removedTopics: [String]
    /// Its service status reports (`readStatusRpt`, `writeStatusRpt`): 0 when normal.
    public var reported = BrokerServiceReport()

    /// Creates a heartbeat.
    public init(id: Int32, online: Bool = true, configVersion: Int64, removedTopics: [String] = []) {
        self.id = id
        self.online = online
        self.configVersion = configVersion
        self.removedTopics = removedTopics
    }
}

/// What a broker reports of its own service (`readStatusRpt`, `writeStatusRpt`): 0 when normal; our
/// broker reports 1 for writes while a topic's storage refuses them (a full or failing disk).
public struct BrokerServiceReport: Sendable, Hashable {
    /// `readStatusRpt`.
    public var read: Int32
    /// `writeStatusRpt`.
    public var write: Int32

    /// Creates a report.
    public init(read: Int32 = 0, write: Int32 = 0) {
        self.read = read
        self.write = write
    }

    /// Whether the broker reports any service abnormal.
    public var isAbnormal: Bool { read != 0 || write != 0 }
}

/// The master's answer to a broker registration or heartbeat (`RegisterResponseM2B`,
/// `HeartResponseM2B`): the service flags and, when the broker's copy is stale, its configuration.
public struct BrokerConfigReply: Sendable, Hashable {
    /// Reads must stop (`stopRead`): the manage status does not accept subscribe.
    public var stopRead: Bool
    /// Writes must stop (`stopWrite`): the manage status does not accept publish.
    public var stopWrite: Bool
    /// The reply carries the configuration (`takeConfInfo`): always on registration, and on a
    /// heartbeat whose configuration version differs from ``configVersion``.
    public var takeConfig: Bool
    /// The current configuration version (`curBrokerConfId`).
    public var configVersion: Int64
    /// The broker's topic defaults (`brokerDefaultConfInfo`).
    public var defaults: TopicSettings
    /// The topics deployed on the broker that it must keep (`brokerTopicSetConfInfo`), by name,
    /// each with its ``Topic/maxMsgSizeInMB``.
    public var topics: [DeployedTopic]
    /// Deployments removed by the admin that the broker must drop (`removeTopicConfInfo`).
    public var removedTopics: [DeployedTopic]
    /// Persistence and broker-list changes the call caused.
    public var directives: [MasterDirective]
}

/// A deployment as a broker receives it: the record plus the topic's maximum message size.
public struct DeployedTopic: Sendable, Hashable {
    /// The deployment record.
    public var deployment: TopicDeployment
    /// The topic's maximum message size in MiB.
    public var maxMsgSizeInMB: Int32
}
