import TubeMQCore

/// One open topic: its storage instances and the routing from partition ids to them.
///
/// A `TopicStore` is a plain value holder (`Sendable`); every call forwards to the one
/// ``StorageInstance`` that holds the partition, so it costs one actor hop.
public final class TopicStore: Sendable {
    /// The topic name.
    public let name: String
    /// The configuration the topic was opened with.
    public let configuration: TopicConfiguration
    /// The storage instances, by store index.
    public let instances: [StorageInstance]

    init(name: String, configuration: TopicConfiguration, instances: [StorageInstance]) {
        self.name = name
        self.configuration = configuration
        self.instances = instances
    }

    /// Every partition id of the topic, in store order.
    public var partitionIDs: [Int32] {
        PartitionID.all(
            stores: Int32(configuration.storeCount),
            partitionsPerStore: Int32(configuration.partitionsPerStore)
        )
    }

    /// The instance that holds `partitionID`.
    ///
    /// - Throws: ``StorageError/Code/unknownPartition`` when the topic has no such partition.
    public func instance(forPartition partitionID: Int32) throws(StorageError) -> StorageInstance {
        let store = Int(PartitionID.storeIndex(of: partitionID))
        guard partitionID >= 0, store < instances.count, instances[store].holds(partitionID: partitionID) else {
            throw StorageError(code: .unknownPartition, message: "topic \(name) has no partition \(partitionID)")
        }
        return instances[store]
    }

    /// Whether every instance of the topic accepts appends (see ``StorageInstance/isWritable``).
    /// Reads atomics only: no actor hop.
    public var isWritable: Bool { instances.allSatisfy(\.isWritable) }

    /// Appends a batch whose messages all belong to partitions of one storage instance.
    ///
    /// - Throws: ``StorageError/Code/invalidArgument`` for an empty batch,
    ///   ``StorageError/Code/unknownPartition`` when a partition is not the topic's or the batch
    ///   spans instances; otherwise see ``StorageInstance/append(_:)``.
    public func append(_ batch: [AppendMessage]) async throws(StorageError) -> AppendResult {
        guard let first = batch.first else { throw StorageError(code: .invalidArgument, message: "empty batch") }
        let instance = try instance(forPartition: first.partitionID)
        return try await instance.append(batch)
    }

    /// Reads one partition; see ``StorageInstance/read(_:)``.
    public func read(_ request: ReadRequest) async throws(StorageError) -> ReadResult {
        try await instance(forPartition: request.partitionID).read(request)
    }

    /// The offset range of the instance holding `partitionID` (shared by its partitions).
    public func offsetRange(partitionID: Int32) async throws(StorageError) -> OffsetRange {
        try await instance(forPartition: partitionID).offsetRange
    }

    /// The first offset of the partition's instance appended at or after `time` (ms since the epoch).
    public func offset(partitionID: Int32, atOrAfterTime time: Int64) async throws(StorageError) -> Int64 {
        try await instance(forPartition: partitionID).offset(atOrAfterTime: time)
    }

    /// What the topic's instances hold on disk and in memory, added up.
    public var usage: StorageUsage {
        get async {
            var total = StorageUsage()
            for instance in instances {
                let usage = await instance.usage
                total = total + usage
            }
            return total
        }
    }

    /// Flushes every instance and waits until all is synced.
    public func flush() async throws(StorageError) {
        for instance in instances { try await instance.flush() }
    }

    /// Applies the retention policy to every instance; returns the segments deleted.
    public func enforceRetention() async throws(StorageError) -> Int {
        var deleted = 0
        for instance in instances { deleted += try await instance.enforceRetention() }
        return deleted
    }

    /// Closes every instance, joining their flushers; reports the first failure after closing all.
    func close() async throws(StorageError) {
        var failure: StorageError?
        for instance in instances {
            do throws(StorageError) {
                try await instance.close()
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }
}
