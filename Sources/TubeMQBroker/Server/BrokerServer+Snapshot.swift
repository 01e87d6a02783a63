import NIOCore
public import TubeMQCore
import TubeMQStorage

/// A look at the newest messages of a partition without a consumer group (TubeMQ's
/// `admin_snapshot_message`): nothing is booked, no offset moves.
extension BrokerServer {
    /// How many index entries before the end of a partition's store a snapshot examines at most. The
    /// partitions of a store share its index, so the other partitions' entries count too: a partition
    /// with nothing among the last entries has nothing to show.
    public static let snapshotScanEntries: Int64 = 16_384

    /// The newest `count` messages of a partition, oldest first; with `filterItems`, of those message
    /// types only.
    ///
    /// Bounded in work and memory: it examines the last ``snapshotScanEntries`` index entries of the
    /// store, reads at most `count` messages and `maxBytes` of payload at a time, and keeps the newest
    /// messages whose payloads come to at most `maxBytes` (the newest one always).
    ///
    /// - Parameters:
    ///   - partitionID: the partition; `nil` for the topic's first.
    /// - Returns: the partition read and its messages, decoded (a payload whose attribute header is
    ///   malformed is returned whole as the body).
    /// - Throws: ``BrokerAdminError``: ``BrokerAdminError/Code/unknownTopic``,
    ///   ``BrokerAdminError/Code/unknownPartition``, ``BrokerAdminError/Code/readStopped`` while
    ///   reading is stopped, ``BrokerAdminError/Code/storage``.
    public func latestMessages(
        topic: String,
        partitionID: Int32?,
        count: Int,
        filterItems: [String] = [],
        maxBytes: Int
    ) async throws(BrokerAdminError) -> (partitionID: Int32, messages: [Message]) {
        guard let served = topics.first(where: { $0.name == topic }) else {
            throw BrokerAdminError(code: .unknownTopic, message: "topic \(topic) is not served by this broker")
        }
        let partition = partitionID ?? served.partitionIDs.first ?? 0
        let range = try await offsetRange(topic: topic, partitionID: partition)
        guard !catalog.serviceFlags.stopRead else {
            throw BrokerAdminError(code: .readStopped, message: "Read StoreService temporary unavailable!")
        }
        let entry = StorageOffset.entrySize
        var offset = max(range.min, range.max - Self.snapshotScanEntries * entry)
        var remaining = Int((range.max - offset) / entry)
        let types = filterItems.isEmpty ? nil : Set(filterItems.map(\.javaHashCode))
        var kept: [StoredMessage] = []
        var keptBytes = 0
        while remaining > 0 {
            let request = ReadRequest(
                partitionID: partition,
                offset: offset,
                maxBytes: maxBytes,
                maxCount: count,
                maxScanEntries: remaining,
                typeHashes: types
            )
            let result: ReadResult
            do {
                result = try await store.read(topic: topic, request)
            } catch {
                throw BrokerAdminError(code: .storage, message: error.message, underlying: error)
            }
            for message in result.messages {
                kept.append(message)
                keptBytes += message.payload.readableBytes
            }
            while kept.count > count || (kept.count > 1 && keptBytes > maxBytes) {
                keptBytes -= kept.removeFirst().payload.readableBytes
            }
            let examined = Int((result.nextOffset - offset) / entry)
            // Nothing more is readable (a store that serves only what is synced stops short of the end).
            guard examined > 0 else { break }
            remaining -= examined
            offset = result.nextOffset
        }
        let messages = kept.map { stored in
            let payload = Array(stored.payload.readableBytesView)
            return (try? Message(payload: payload, flag: stored.flag)) ?? Message(body: payload)
        }
        return (partition, messages)
    }
}
