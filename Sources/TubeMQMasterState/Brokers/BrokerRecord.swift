public import TubeMQCore

/// The admin-set management status of a broker (`manageStatus`, admin-api.md §4.3).
public enum BrokerManageStatus: Int32, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Configured but not in service: no publish, no subscribe. New brokers start here.
    case draft = 1
    /// In service for producers and consumers.
    case online = 5
    /// Reads only (`only-read`): subscribe, no publish.
    case readOnly = 6
    /// Writes only (`only-write`): publish, no subscribe.
    case writeOnly = 7
    /// Taken out of service: no publish, no subscribe.
    case offline = 9

    /// Whether producers may publish to the broker.
    public var acceptsPublish: Bool { self == .online || self == .writeOnly }
    /// Whether consumers may consume from the broker.
    public var acceptsSubscribe: Bool { self == .online || self == .readOnly }
    /// Whether the broker is in service at all (its address is given to clients).
    public var isInService: Bool { self == .online || self == .readOnly || self == .writeOnly }

    /// The status with the given publish/subscribe flags (the 4-way mapping of
    /// `admin_set_broker_read_or_write`): both → online, one → read/write-only, none → offline.
    public static func with(acceptPublish: Bool, acceptSubscribe: Bool) -> BrokerManageStatus {
        switch (acceptPublish, acceptSubscribe) {
        case (true, true): .online
        case (false, true): .readOnly
        case (true, false): .writeOnly
        case (false, false): .offline
        }
    }

    /// The name the webapi uses: `draft`, `online`, `only-read`, `only-write`, `offline`.
    public var description: String {
        switch self {
        case .draft: "draft"
        case .online: "online"
        case .readOnly: "only-read"
        case .writeOnly: "only-write"
        case .offline: "offline"
        }
    }
}

/// Whether a broker process is connected to the master, as its RPCs tell.
public enum BrokerRunState: String, Sendable, Hashable, Codable {
    /// Never registered since the master started.
    case unregistered
    /// Registered (method 7) but not yet reporting `brokerOnline` in a heartbeat.
    case registered
    /// Heartbeating with `brokerOnline = true`; clients are told about it.
    case online
    /// Closed (method 9) or missed its heartbeats for the broker timeout.
    case offline
}

/// The durable configuration record of a broker (`admin_*_broker_configure`).
public struct BrokerRecord: Sendable, Hashable, Codable {
    /// The broker id, unique in the cluster.
    public var id: Int32
    /// The broker's IPv4 address.
    public var host: String
    /// The RPC port.
    public var port: Int
    /// The TLS RPC port.
    public var tlsPort: Int
    /// The web port.
    public var webPort: Int
    /// Region id (admin grouping only).
    public var regionID: Int32
    /// Group id (admin grouping only).
    public var groupID: Int32
    /// The management status.
    public var manageStatus: BrokerManageStatus
    /// The topic settings topics deployed on this broker inherit.
    public var defaults: TopicSettings
    /// Version of the broker's configuration (`curBrokerConfId`): changes whenever its defaults, its
    /// status or one of its topic deployments changes.
    public var configVersion: Int64
    /// The audit stamp.
    public var stamp: RecordStamp

    /// Creates a broker record.
    public init(
        id: Int32,
        host: String,
        port: Int = BrokerInfo.defaultPort,
        tlsPort: Int = 8124,
        webPort: Int = 8081,
        regionID: Int32 = 0,
        groupID: Int32 = 0,
        manageStatus: BrokerManageStatus = .draft,
        defaults: TopicSettings = TopicSettings(),
        configVersion: Int64 = 0,
        stamp: RecordStamp
    ) {
        self.id = id
        self.host = host
        self.port = port
        self.tlsPort = tlsPort
        self.webPort = webPort
        self.regionID = regionID
        self.groupID = groupID
        self.manageStatus = manageStatus
        self.defaults = defaults
        self.configVersion = configVersion
        self.stamp = stamp
    }

    /// The address clients use.
    public var info: BrokerInfo { BrokerInfo(id: id, host: host, port: port) }
}

/// What the admin gives to add a broker (`admin_add_broker_configure`).
public struct BrokerSpec: Sendable, Hashable {
    /// The broker id; 0 or less means "derive it from the IPv4 address" (`abs(ipv4 as int32)`).
    public var id: Int32
    /// The broker's IPv4 address.
    public var host: String
    /// The RPC port; `nil` takes the cluster default.
    public var port: Int?
    /// The TLS port; `nil` takes the cluster default.
    public var tlsPort: Int?
    /// The web port; `nil` takes the cluster default.
    public var webPort: Int?
    /// Region id.
    public var regionID: Int32
    /// Group id.
    public var groupID: Int32
    /// The management status; new brokers are `draft` unless given.
    public var manageStatus: BrokerManageStatus
    /// Topic settings overriding the cluster defaults for this broker.
    public var settings: TopicSettingsPatch

    /// Creates a broker specification.
    public init(
        id: Int32 = 0,
        host: String,
        port: Int? = nil,
        tlsPort: Int? = nil,
        webPort: Int? = nil,
        regionID: Int32 = 0,
        groupID: Int32 = 0,
        manageStatus: BrokerManageStatus = .draft,
        settings: TopicSettingsPatch = TopicSettingsPatch()
    ) {
        self.id = id
        self.host = host
        self.port = port
        self.tlsPort = tlsPort
        self.webPort = webPort
        self.regionID = regionID
        self.groupID = groupID
        self.manageStatus = manageStatus
        self.settings = settings
    }
}

/// A partial update of a broker record (`admin_update_broker_configure`).
public struct BrokerPatch: Sendable, Hashable {
    /// New RPC port.
    public var port: Int?
    /// New TLS port.
    public var tlsPort: Int?
    /// New web port.
    public var webPort: Int?
    /// New region id.
    public var regionID: Int32?
    /// New group id.
    public var groupID: Int32?
    /// New management status.
    public var manageStatus: BrokerManageStatus?
    /// Changes to the broker's topic defaults.
    public var settings: TopicSettingsPatch

    /// Creates a patch; fields left out are not changed.
    public init(
        port: Int? = nil,
        tlsPort: Int? = nil,
        webPort: Int? = nil,
        regionID: Int32? = nil,
        groupID: Int32? = nil,
        manageStatus: BrokerManageStatus? = nil,
        settings: TopicSettingsPatch = TopicSettingsPatch()
    ) {
        self.port = port
        self.tlsPort = tlsPort
        self.webPort = webPort
        self.regionID = regionID
        self.groupID = groupID
        self.manageStatus = manageStatus
        self.settings = settings
    }
}

/// The run-time part of a broker, kept while the master runs and never persisted.
struct BrokerRuntime: Sendable, Hashable {
    var state: BrokerRunState = .unregistered
    var registeredAt: Int64 = 0
    var lastHeartbeatAt: Int64 = 0
    var enableTLS = false
    var tlsPort: Int?
    var reportedConfigVersion: Int64 = 0
    /// Its last service status report.
    var reported = BrokerServiceReport()
    /// The configuration version ``loadedShares`` was taken at, once the broker holds one.
    var loadedConfigVersion: Int64?
    /// The topics the broker serves, by name: its deployments as of the configuration version it last
    /// loaded. Clients are told only these, so that a partition added by an admin call is sent to
    /// only once the broker has created it.
    var loadedShares: [String: TopicPublishInfo.BrokerShare] = [:]
}

extension BrokerRuntime {
    /// Records that the broker holds configuration `configVersion`, whose topic shares are `shares`.
    mutating func noteLoaded(configVersion: Int64, shares: [String: TopicPublishInfo.BrokerShare]) {
        loadedConfigVersion = configVersion
        loadedShares = shares
    }
}
