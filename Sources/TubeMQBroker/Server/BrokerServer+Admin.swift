public import TubeMQStorage

/// A broker admin call failed (the broker webapi's offset methods).
public struct BrokerAdminError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An extensible kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's stable name.
        public var rawValue: String
        /// Creates a code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The broker does not serve the topic.
        public static let unknownTopic = Code(rawValue: "unknownTopic")
        /// The topic has no such partition on this broker.
        public static let unknownPartition = Code(rawValue: "unknownPartition")
        /// The offset is outside the partition's stored range or not on a message boundary.
        public static let illegalOffset = Code(rawValue: "illegalOffset")
        /// The storage failed (see ``BrokerAdminError/underlying``).
        public static let storage = Code(rawValue: "storage")
        /// Reading is stopped on this broker (a master's read-status order).
        public static let readStopped = Code(rawValue: "readStopped")
        /// A value the call cannot take (a backup folder outside the data directory).
        public static let illegalValue = Code(rawValue: "illegalValue")
        /// A file could not be written (an offset backup).
        public static let fileFailed = Code(rawValue: "fileFailed")

        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A description for the operator.
    public var message: String
    /// The storage failure behind a ``Code/storage`` error.
    public var underlying: StorageError?

    /// Creates an error.
    public init(code: Code, message: String, underlying: StorageError? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code): \(message)" }
}

/// A consumer group's position in one partition of this broker.
public struct PartitionOffsets: Sendable, Hashable {
    /// The consumer group.
    public var group: String
    /// The topic.
    public var topic: String
    /// The partition id.
    public var partitionID: Int32
    /// The confirmed (committed) offset, if the group has one.
    public var committed: Int64?
    /// The end of the batch handed out and not yet confirmed, if any.
    public var tentative: Int64?
    /// The offsets stored in the partition's storage instance.
    public var range: OffsetRange
    /// The consumer registered for the partition, if any.
    public var consumerID: String?
}

/// Offset administration for the broker webapi (admin-api.md §5.6): query a group's offsets, and
/// move them (by offset or by time) so the group's next get starts there.
///
/// A move commits the new offset durably and drops the tentative offset of the batch in flight,
/// so the registered consumer's next get reads from the new offset (its pending confirmation is
/// discarded instead of overwriting the reset).
extension BrokerServer {
    /// The groups with a consumer registered on this broker or offsets committed here, sorted: a
    /// group whose consumers all stopped keeps its offsets, and is listed so they can be reset.
    public func bookedGroups() async -> [String] {
        let committed = await store.offsets.allCommittedOffsets().keys.map(\.group)
        return Set(await holdings().map(\.group)).union(committed).sorted()
    }

    /// `group`'s offsets in every partition of `topics` on this broker; with no topics, in every
    /// topic the group holds a partition of or has committed offsets for. Topics this broker does
    /// not serve are skipped. Sorted by topic, then partition id.
    public func groupOffsets(group: String, topics: [String] = []) async -> [PartitionOffsets] {
        let offsets = store.offsets
        let committed = await offsets.committedOffsets(group: group)
        let holders = await holdings().filter { $0.group == group }
        var names = Set(topics)
        if names.isEmpty {
            names = Set(committed.keys.map(\.topic)).union(holders.map(\.topic))
        }
        let served = Dictionary(self.topics.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var out: [PartitionOffsets] = []
        for name in names.sorted() {
            guard let topic = served[name] else { continue }
            for partition in topic.partitionIDs {
                guard let range = try? await store.offsetRange(topic: name, partitionID: partition) else { continue }
                let key = OffsetStore.Key(group: group, topic: name, partitionID: partition)
                out.append(
                    PartitionOffsets(
                        group: group,
                        topic: name,
                        partitionID: partition,
                        committed: committed[key],
                        tentative: await offsets.tentativeOffset(group: group, topic: name, partitionID: partition),
                        range: range,
                        consumerID: holders.first { $0.topic == name && $0.partitionID == partition }?.consumerID
                    )
                )
            }
        }
        return out
    }

    /// The stored offset range of a partition.
    ///
    /// - Throws: ``BrokerAdminError`` when the topic or partition is not served, or storage fails.
    public func offsetRange(topic: String, partitionID: Int32) async throws(BrokerAdminError) -> OffsetRange {
        try checkPartition(topic: topic, partitionID: partitionID)
        do {
            return try await store.offsetRange(topic: topic, partitionID: partitionID)
        } catch {
            throw BrokerAdminError(code: .storage, message: error.message, underlying: error)
        }
    }

    /// The offset of the first message stored at or after `time` (ms since the epoch) in a
    /// partition: its minimum when `time` precedes everything, its maximum when it follows.
    ///
    /// - Throws: ``BrokerAdminError`` when the topic or partition is not served, or storage fails.
    public func offset(
        topic: String,
        partitionID: Int32,
        atOrAfterTime time: Int64
    ) async throws(BrokerAdminError)
        -> Int64
    {
        try checkPartition(topic: topic, partitionID: partitionID)
        do {
            return try await store.offset(topic: topic, partitionID: partitionID, atOrAfterTime: time)
        } catch {
            throw BrokerAdminError(code: .storage, message: error.message, underlying: error)
        }
    }

    /// Moves `group`'s offset in a partition to `offset`, durably; the group's next get there starts
    /// at `offset`.
    ///
    /// - Throws: ``BrokerAdminError`` ``BrokerAdminError/Code/illegalOffset`` when `offset` is outside
    ///   the stored range or not on a message boundary; unknown topic or partition; storage failure.
    public func resetOffset(
        group: String,
        topic: String,
        partitionID: Int32,
        to offset: Int64
    )
        async throws(BrokerAdminError)
    {
        let range = try await offsetRange(topic: topic, partitionID: partitionID)
        guard offset >= range.min, offset <= range.max else {
            throw BrokerAdminError(
                code: .illegalOffset,
                message: "offset \(offset) is outside \(range.min)...\(range.max) of \(topic):\(partitionID)"
            )
        }
        guard offset % StorageOffset.entrySize == 0 else {
            throw BrokerAdminError(
                code: .illegalOffset,
                message: "offset \(offset) is not a multiple of the index entry size \(StorageOffset.entrySize)"
            )
        }
        let offsets = store.offsets
        await offsets.discardTentativeOffset(group: group, topic: topic, partitionID: partitionID)
        do {
            try await offsets.commit(group: group, topic: topic, partitionID: partitionID, offset: offset)
        } catch {
            throw BrokerAdminError(code: .storage, message: error.message, underlying: error)
        }
    }

    /// Forgets every offset of `group` on this broker, durably; its consumers start again from the
    /// start of the stored data.
    ///
    /// - Throws: ``BrokerAdminError`` ``BrokerAdminError/Code/storage`` when the offset log fails.
    public func removeOffsets(group: String) async throws(BrokerAdminError) {
        do {
            try await store.offsets.removeGroup(group)
        } catch {
            throw BrokerAdminError(code: .storage, message: error.message, underlying: error)
        }
    }

    func checkPartition(topic: String, partitionID: Int32) throws(BrokerAdminError) {
        guard let served = topics.first(where: { $0.name == topic }) else {
            throw BrokerAdminError(code: .unknownTopic, message: "topic \(topic) is not served by this broker")
        }
        guard served.hasPartition(partitionID) else {
            throw BrokerAdminError(
                code: .unknownPartition,
                message: "topic \(topic) has no partition \(partitionID) on this broker"
            )
        }
    }
}
