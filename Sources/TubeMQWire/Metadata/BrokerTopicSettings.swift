/// The colon-separated topic settings the master sends a broker (`brokerDefaultConfInfo`,
/// `brokerTopicSetConfInfo`), e.g. `2:true:true:1000:10000: :delete,168h:1:0:3:10:20000`.
///
/// A blank field (one space) means "inherit": from the broker default for a topic string, from
/// the built-in default for the default string.
public struct BrokerTopicSettings: Sendable, Hashable {
    /// Partitions per storage instance.
    public var numPartitions: Int32?
    /// Whether producers may publish.
    public var acceptPublish: Bool?
    /// Whether consumers may subscribe.
    public var acceptSubscribe: Bool?
    /// Flush after this many unflushed messages.
    public var unflushThreshold: Int32?
    /// Flush after this many milliseconds.
    public var unflushInterval: Int32?
    /// Legacy cleanup schedule (a cron string); kept as received.
    public var deleteWhen: String?
    /// Retention, `delete,<N>[s|m|h]`.
    public var deletePolicy: String?
    /// Storage instances per topic on the broker.
    public var numTopicStores: Int32?
    /// Flush after this many unflushed bytes (0 = off).
    public var unflushDataHold: Int32?
    /// Memory cache size in MiB.
    public var memCacheMsgSizeInMB: Int32?
    /// Memory cache message count, in thousands.
    public var memCacheMsgCntInK: Int32?
    /// Memory cache flush interval in milliseconds.
    public var memCacheFlushIntvl: Int32?
    /// Topic status (topic strings only; 0 = normal).
    public var statusID: Int32?
    /// Maximum message size in MiB (topic strings only; our master's 14th field).
    public var maxMsgSizeInMB: Int32?
    /// When a send is acknowledged, `memory` or `disk` (topic strings only; our 15th field, which
    /// TubeMQ's brokers, reading fields by index, never look at).
    public var ackPolicy: String?
    /// The most bytes a storage instance of the topic keeps (topic strings only; our 16th field).
    public var retentionBytes: Int64?

    /// Creates settings; `nil` fields are inherited.
    public init(
        numPartitions: Int32? = nil,
        acceptPublish: Bool? = nil,
        acceptSubscribe: Bool? = nil,
        unflushThreshold: Int32? = nil,
        unflushInterval: Int32? = nil,
        deleteWhen: String? = nil,
        deletePolicy: String? = nil,
        numTopicStores: Int32? = nil,
        unflushDataHold: Int32? = nil,
        memCacheMsgSizeInMB: Int32? = nil,
        memCacheMsgCntInK: Int32? = nil,
        memCacheFlushIntvl: Int32? = nil,
        statusID: Int32? = nil,
        maxMsgSizeInMB: Int32? = nil,
        ackPolicy: String? = nil,
        retentionBytes: Int64? = nil
    ) {
        self.numPartitions = numPartitions
        self.acceptPublish = acceptPublish
        self.acceptSubscribe = acceptSubscribe
        self.unflushThreshold = unflushThreshold
        self.unflushInterval = unflushInterval
        self.deleteWhen = deleteWhen
        self.deletePolicy = deletePolicy
        self.numTopicStores = numTopicStores
        self.unflushDataHold = unflushDataHold
        self.memCacheMsgSizeInMB = memCacheMsgSizeInMB
        self.memCacheMsgCntInK = memCacheMsgCntInK
        self.memCacheFlushIntvl = memCacheFlushIntvl
        self.statusID = statusID
        self.maxMsgSizeInMB = maxMsgSizeInMB
        self.ackPolicy = ackPolicy
        self.retentionBytes = retentionBytes
    }

    /// These settings with every `nil` field taken from `base`.
    public func inheriting(_ base: BrokerTopicSettings) -> BrokerTopicSettings {
        BrokerTopicSettings(
            numPartitions: numPartitions ?? base.numPartitions,
            acceptPublish: acceptPublish ?? base.acceptPublish,
            acceptSubscribe: acceptSubscribe ?? base.acceptSubscribe,
            unflushThreshold: unflushThreshold ?? base.unflushThreshold,
            unflushInterval: unflushInterval ?? base.unflushInterval,
            deleteWhen: deleteWhen ?? base.deleteWhen,
            deletePolicy: deletePolicy ?? base.deletePolicy,
            numTopicStores: numTopicStores ?? base.numTopicStores,
            unflushDataHold: unflushDataHold ?? base.unflushDataHold,
            memCacheMsgSizeInMB: memCacheMsgSizeInMB ?? base.memCacheMsgSizeInMB,
            memCacheMsgCntInK: memCacheMsgCntInK ?? base.memCacheMsgCntInK,
            memCacheFlushIntvl: memCacheFlushIntvl ?? base.memCacheFlushIntvl,
            statusID: statusID ?? base.statusID,
            maxMsgSizeInMB: maxMsgSizeInMB ?? base.maxMsgSizeInMB,
            ackPolicy: ackPolicy ?? base.ackPolicy,
            retentionBytes: retentionBytes ?? base.retentionBytes
        )
    }

    private var commonFields: [String] {
        [
            field(numPartitions), field(acceptPublish), field(acceptSubscribe), field(unflushThreshold),
            field(unflushInterval), deleteWhen.map { $0.isEmpty ? " " : $0 } ?? " ",
            deletePolicy.map { $0.isEmpty ? " " : $0 } ?? " ", field(numTopicStores), field(unflushDataHold),
            field(memCacheMsgSizeInMB), field(memCacheMsgCntInK), field(memCacheFlushIntvl),
        ]
    }

    /// The broker default string (12 fields).
    public var defaultString: String { commonFields.joined(separator: ":") }

    /// The string for `topic`: its name, then 14 fields. The first eight are the default string's
    /// (partitions … numTopicStores); the status comes ninth, as in the recorded
    /// `t_go: : : : : : : : :0: : : : : `, followed by the flush-size and cache fields and, last,
    /// the maximum message size (our master's addition). Our acknowledgement policy and size cap
    /// follow as fields 15 and 16 only when one of them is set, so the string of a topic without
    /// them is the one TubeMQ's master sends.
    public func topicString(_ topic: String) -> String {
        let common = commonFields
        var fields = Array(common[0..<8]) + [field(statusID)] + Array(common[8..<12]) + [field(maxMsgSizeInMB)]
        if ackPolicy != nil || retentionBytes != nil {
            fields += [ackPolicy.map { $0.isEmpty ? " " : $0 } ?? " ", retentionBytes.map(String.init) ?? " "]
        }
        return ([topic] + fields).joined(separator: ":")
    }

    /// Parses a broker default string.
    public init(parsingDefault text: String) {
        self.init(fields: text.split(separator: ":", omittingEmptySubsequences: false).map(String.init))
    }

    /// Parses a topic string; returns the topic name and its settings, or `nil` without a name.
    public static func parseTopic(_ text: String) -> (topic: String, settings: BrokerTopicSettings)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.first?.trimmingCharacters(in: " "), !name.isEmpty else { return nil }
        var fields = Array(parts.dropFirst())
        while fields.count < 16 { fields.append(" ") }
        // Back to the default string's order, with status and maximum size at the end.
        let reordered = Array(fields[0..<8]) + Array(fields[9..<13]) + [fields[8], fields[13], fields[14], fields[15]]
        return (name, BrokerTopicSettings(fields: reordered))
    }

    private init(fields: [String]) {
        func text(_ index: Int) -> String? {
            guard index < fields.count else { return nil }
            let value = fields[index].trimmingCharacters(in: " ")
            return value.isEmpty ? nil : value
        }
        func int(_ index: Int) -> Int32? { text(index).flatMap { Int32($0) } }
        func bool(_ index: Int) -> Bool? { text(index).map { $0.lowercased() == "true" } }
        self.init(
            numPartitions: int(0),
            acceptPublish: bool(1),
            acceptSubscribe: bool(2),
            unflushThreshold: int(3),
            unflushInterval: int(4),
            deleteWhen: text(5),
            deletePolicy: text(6),
            numTopicStores: int(7),
            unflushDataHold: int(8),
            memCacheMsgSizeInMB: int(9),
            memCacheMsgCntInK: int(10),
            memCacheFlushIntvl: int(11),
            statusID: int(12),
            maxMsgSizeInMB: int(13),
            ackPolicy: text(14),
            retentionBytes: text(15).flatMap { Int64($0) }
        )
    }

    private func field(_ value: Int32?) -> String { value.map(String.init) ?? " " }
    private func field(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? " " }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var s = Substring(self)
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return String(s)
    }
}
