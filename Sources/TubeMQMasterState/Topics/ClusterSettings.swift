/// Who created and last modified an admin record, and when (ms since the epoch).
public struct RecordStamp: Sendable, Hashable, Codable {
    /// The user that created the record (`createUser`).
    public var createdBy: String
    /// When the record was created (`createDate`).
    public var createdAt: Int64
    /// The user that last modified the record (`modifyUser`).
    public var modifiedBy: String
    /// When the record was last modified (`modifyDate`).
    public var modifiedAt: Int64

    /// Creates a stamp for a record created by `user` at `now`.
    public init(createdBy user: String, at now: Int64) {
        self.createdBy = user
        self.createdAt = now
        self.modifiedBy = user
        self.modifiedAt = now
    }

    /// Records a modification by `user` at `now`.
    public mutating func touch(by user: String, at now: Int64) {
        modifiedBy = user
        modifiedAt = now
    }
}

/// The cluster-wide defaults (admin-api.md §5.3): new brokers' ports, the default maximum message
/// size and the topic settings new brokers inherit.
public struct ClusterSettings: Sendable, Hashable, Codable {
    /// The largest allowed `maxMsgSizeInMB` (`META_MAX_MESSAGE_DATA_SIZE_UPPER_LIMIT` = 20 MiB).
    public static let maxMsgSizeLimitInMB: Int32 = 20

    /// Default RPC port of new brokers.
    public var brokerPort: Int
    /// Default TLS port of new brokers.
    public var brokerTLSPort: Int
    /// Default web port of new brokers.
    public var brokerWebPort: Int
    /// Default maximum message size of topics, in MiB (1…20).
    public var maxMsgSizeInMB: Int32
    /// Default consume read priority (`qryPriorityId`).
    public var qryPriorityID: Int32
    /// The topic settings new brokers start from.
    public var topicDefaults: TopicSettings
    /// The default flow-control rules (`admin_set_def_flow_control_rule`), `nil` until an admin sets them.
    public var flowControl: FlowControlSetting?
    /// The audit stamp, `nil` until an admin sets the record.
    public var stamp: RecordStamp?

    /// Creates cluster settings; the defaults are the built-in ones.
    public init(
        brokerPort: Int = 8123,
        brokerTLSPort: Int = 8124,
        brokerWebPort: Int = 8081,
        maxMsgSizeInMB: Int32 = 1,
        qryPriorityID: Int32 = 301,
        topicDefaults: TopicSettings = TopicSettings(),
        stamp: RecordStamp? = nil
    ) {
        self.brokerPort = brokerPort
        self.brokerTLSPort = brokerTLSPort
        self.brokerWebPort = brokerWebPort
        self.maxMsgSizeInMB = maxMsgSizeInMB
        self.qryPriorityID = qryPriorityID
        self.topicDefaults = topicDefaults
        self.stamp = stamp
    }

    /// ``maxMsgSizeInMB`` in bytes, as `appdConfig.maxMsgSize` carries it.
    public var maxMsgSize: Int32 { maxMsgSizeInMB * 1_048_576 }
}

/// A partial update of ``ClusterSettings``: `nil` fields are left as they are.
public struct ClusterSettingsPatch: Sendable, Hashable {
    /// New ``ClusterSettings/brokerPort``.
    public var brokerPort: Int?
    /// New ``ClusterSettings/brokerTLSPort``.
    public var brokerTLSPort: Int?
    /// New ``ClusterSettings/brokerWebPort``.
    public var brokerWebPort: Int?
    /// New ``ClusterSettings/maxMsgSizeInMB``.
    public var maxMsgSizeInMB: Int32?
    /// New ``ClusterSettings/qryPriorityID``.
    public var qryPriorityID: Int32?
    /// Changes to ``ClusterSettings/topicDefaults``.
    public var topicDefaults: TopicSettingsPatch

    /// Creates a patch; fields left out are not changed.
    public init(
        brokerPort: Int? = nil,
        brokerTLSPort: Int? = nil,
        brokerWebPort: Int? = nil,
        maxMsgSizeInMB: Int32? = nil,
        qryPriorityID: Int32? = nil,
        topicDefaults: TopicSettingsPatch = TopicSettingsPatch()
    ) {
        self.brokerPort = brokerPort
        self.brokerTLSPort = brokerTLSPort
        self.brokerWebPort = brokerWebPort
        self.maxMsgSizeInMB = maxMsgSizeInMB
        self.qryPriorityID = qryPriorityID
        self.topicDefaults = topicDefaults
    }
}

/// Validation shared by cluster and topic records.
enum Validate {
    static func maxMsgSize(_ value: Int32) throws(MasterError) -> Int32 {
        guard (1...ClusterSettings.maxMsgSizeLimitInMB).contains(value) else {
            throw MasterError(code: .illegalValue, message: "maxMsgSizeInMB must be in 1...20, got \(value)")
        }
        return value
    }

    static func port(_ name: String, _ value: Int) throws(MasterError) -> Int {
        guard (1...65_535).contains(value) else {
            throw MasterError(code: .illegalValue, message: "\(name) must be in 1...65535, got \(value)")
        }
        return value
    }

    static func qryPriorityID(_ value: Int32) throws(MasterError) -> Int32 {
        let hundreds = value / 100
        let tens = (value / 10) % 10
        let units = value % 10
        guard (1...3).contains(hundreds), tens == 0, (1...3).contains(units) else {
            throw MasterError(
                code: .illegalValue,
                message: "qryPriorityId must be in 101...303 with digits 1-3, got \(value)"
            )
        }
        return value
    }
}
