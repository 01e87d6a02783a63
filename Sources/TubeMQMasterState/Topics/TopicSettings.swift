import TubeMQCore

/// The storage settings of a topic on a broker: layout, flush thresholds, cache and retention.
///
/// The same shape is used at the three levels of admin-api.md §4.2: the cluster default, each
/// broker's default and each topic deployment (topic × broker). The master pushes the effective values
/// to brokers; clients only see `numPartitions`, `numTopicStores` and the accept flags.
public struct TopicSettings: Sendable, Hashable, Codable {
    /// Partitions per storage instance (≥ 1).
    public var numPartitions: Int32
    /// Storage instances per topic on a broker (≥ 1). Partition ids are `store * 10000 + index`.
    public var numTopicStores: Int32
    /// Whether the topic accepts messages from producers.
    public var acceptPublish: Bool
    /// Whether the topic can be consumed.
    public var acceptSubscribe: Bool
    /// Unflushed message count that forces a disk flush (≥ 0).
    public var unflushThreshold: Int32
    /// Maximum time in ms before a disk flush (≥ 1).
    public var unflushInterval: Int32
    /// Unflushed byte count that forces a flush; 0 turns it off (≥ 0).
    public var unflushDataHold: Int32
    /// Retention policy, normalised to `delete,<N><s|m|h>`.
    public var deletePolicy: String
    /// In-memory cache size per store in MiB (2…2048).
    public var memCacheMsgSizeInMB: Int32
    /// In-memory cache message count in thousands (≥ 1).
    public var memCacheMsgCntInK: Int32
    /// In-memory cache flush interval in ms (≥ 4000).
    public var memCacheFlushIntvl: Int32
    /// When the broker acknowledges a send, `memory` or `disk` (our extension; `nil`: the broker's
    /// own default from broker.ini).
    public var ackPolicy: String? = nil
    /// The most bytes the topic keeps on a broker (our extension; `nil`: the broker's default; 0: no cap).
    public var retentionBytes: Int64? = nil

    /// Creates settings; every parameter defaults to the built-in default of admin-api.md §4.2.
    public init(
        numPartitions: Int32 = 1,
        numTopicStores: Int32 = 1,
        acceptPublish: Bool = true,
        acceptSubscribe: Bool = true,
        unflushThreshold: Int32 = 1_000,
        unflushInterval: Int32 = 10_000,
        unflushDataHold: Int32 = 0,
        deletePolicy: String = "delete,168h",
        memCacheMsgSizeInMB: Int32 = 3,
        memCacheMsgCntInK: Int32 = 10,
        memCacheFlushIntvl: Int32 = 20_000
    ) {
        self.numPartitions = numPartitions
        self.numTopicStores = numTopicStores
        self.acceptPublish = acceptPublish
        self.acceptSubscribe = acceptSubscribe
        self.unflushThreshold = unflushThreshold
        self.unflushInterval = unflushInterval
        self.unflushDataHold = unflushDataHold
        self.deletePolicy = deletePolicy
        self.memCacheMsgSizeInMB = memCacheMsgSizeInMB
        self.memCacheMsgCntInK = memCacheMsgCntInK
        self.memCacheFlushIntvl = memCacheFlushIntvl
    }
}

/// A partial update of ``TopicSettings``: `nil` fields are left as they are (or inherited on add).
public struct TopicSettingsPatch: Sendable, Hashable, Codable {
    /// New ``TopicSettings/numPartitions``.
    public var numPartitions: Int32?
    /// New ``TopicSettings/numTopicStores``.
    public var numTopicStores: Int32?
    /// New ``TopicSettings/acceptPublish``.
    public var acceptPublish: Bool?
    /// New ``TopicSettings/acceptSubscribe``.
    public var acceptSubscribe: Bool?
    /// New ``TopicSettings/unflushThreshold``.
    public var unflushThreshold: Int32?
    /// New ``TopicSettings/unflushInterval``.
    public var unflushInterval: Int32?
    /// New ``TopicSettings/unflushDataHold``.
    public var unflushDataHold: Int32?
    /// New ``TopicSettings/deletePolicy``, in any form ``DeletePolicy/normalize(_:)`` accepts.
    public var deletePolicy: String?
    /// New ``TopicSettings/memCacheMsgSizeInMB``.
    public var memCacheMsgSizeInMB: Int32?
    /// New ``TopicSettings/memCacheMsgCntInK``.
    public var memCacheMsgCntInK: Int32?
    /// New ``TopicSettings/memCacheFlushIntvl``.
    public var memCacheFlushIntvl: Int32?
    /// New ``TopicSettings/ackPolicy`` (`memory` or `disk`, any case).
    public var ackPolicy: String? = nil
    /// New ``TopicSettings/retentionBytes`` (≥ 0).
    public var retentionBytes: Int64? = nil

    /// Creates a patch; fields left out are not changed.
    public init(
        numPartitions: Int32? = nil,
        numTopicStores: Int32? = nil,
        acceptPublish: Bool? = nil,
        acceptSubscribe: Bool? = nil,
        unflushThreshold: Int32? = nil,
        unflushInterval: Int32? = nil,
        unflushDataHold: Int32? = nil,
        deletePolicy: String? = nil,
        memCacheMsgSizeInMB: Int32? = nil,
        memCacheMsgCntInK: Int32? = nil,
        memCacheFlushIntvl: Int32? = nil
    ) {
        self.numPartitions = numPartitions
        self.numTopicStores = numTopicStores
        self.acceptPublish = acceptPublish
        self.acceptSubscribe = acceptSubscribe
        self.unflushThreshold = unflushThreshold
        self.unflushInterval = unflushInterval
        self.unflushDataHold = unflushDataHold
        self.deletePolicy = deletePolicy
        self.memCacheMsgSizeInMB = memCacheMsgSizeInMB
        self.memCacheMsgCntInK = memCacheMsgCntInK
        self.memCacheFlushIntvl = memCacheFlushIntvl
    }
}

extension TopicSettings {
    /// These settings overlaid by `patch`, validated against the ranges of admin-api.md §4.2.
    ///
    /// - Throws: ``MasterError`` with code ``MasterError/Code/illegalValue`` (407) naming the first
    ///   field out of range or the malformed delete policy.
    public func applying(_ patch: TopicSettingsPatch) throws(MasterError) -> TopicSettings {
        var out = self
        out.numPartitions = try Self.checked("numPartitions", patch.numPartitions ?? numPartitions, min: 1)
        out.numTopicStores = try Self.checked("numTopicStores", patch.numTopicStores ?? numTopicStores, min: 1)
        out.acceptPublish = patch.acceptPublish ?? acceptPublish
        out.acceptSubscribe = patch.acceptSubscribe ?? acceptSubscribe
        out.unflushThreshold = try Self.checked("unflushThreshold", patch.unflushThreshold ?? unflushThreshold, min: 0)
        out.unflushInterval = try Self.checked("unflushInterval", patch.unflushInterval ?? unflushInterval, min: 1)
        out.unflushDataHold = try Self.checked("unflushDataHold", patch.unflushDataHold ?? unflushDataHold, min: 0)
        out.memCacheMsgSizeInMB = try Self.checked(
            "memCacheMsgSizeInMB",
            patch.memCacheMsgSizeInMB ?? memCacheMsgSizeInMB,
            min: 2,
            max: 2048
        )
        out.memCacheMsgCntInK = try Self.checked(
            "memCacheMsgCntInK",
            patch.memCacheMsgCntInK ?? memCacheMsgCntInK,
            min: 1
        )
        out.memCacheFlushIntvl = try Self.checked(
            "memCacheFlushIntvl",
            patch.memCacheFlushIntvl ?? memCacheFlushIntvl,
            min: 4000
        )
        if let policy = patch.deletePolicy {
            out.deletePolicy = try DeletePolicy.normalize(policy)
        }
        if let policy = patch.ackPolicy {
            let value = policy.lowercased()
            guard value == "memory" || value == "disk" else {
                throw MasterError(code: .illegalValue, message: "ackPolicy must be memory or disk, got \(policy)")
            }
            out.ackPolicy = value
        }
        if let bytes = patch.retentionBytes {
            out.retentionBytes = try Self.checked64("retentionBytes", bytes)
        }
        return out
    }

    private static func checked64(_ name: String, _ value: Int64) throws(MasterError) -> Int64 {
        guard value >= 0 else {
            throw MasterError(code: .illegalValue, message: "\(name) must be at least 0, got \(value)")
        }
        return value
    }

    private static func checked(
        _ name: String,
        _ value: Int32,
        min: Int32,
        max: Int32 = .max
    ) throws(MasterError) -> Int32 {
        guard value >= min, value <= max else {
            let range = max == .max ? "at least \(min)" : "in \(min)...\(max)"
            throw MasterError(code: .illegalValue, message: "\(name) must be \(range), got \(value)")
        }
        return value
    }
}
