/// How one topic is stored on this broker.
public struct TopicConfiguration: Sendable, Hashable {
    /// The number of storage instances (TubeMQ `numTopicStores`); each owns its own files and actor.
    public var storeCount: Int
    /// Partitions per storage instance (`numPartitions`); ids are `store * 10000 + 0..<n`.
    public var partitionsPerStore: Int
    /// A segment's data file is rolled once it would grow past this many bytes (`maxSegmentSize`).
    public var segmentBytes: Int64
    /// When appends are flushed and acknowledged.
    public var flush: FlushPolicy
    /// When old segments are deleted.
    public var retention: RetentionPolicy
    /// Target size of one memory block; a full block is written to the files (without a sync).
    /// Blocks grow on demand up to this size, so idle instances hold no buffer memory.
    public var memoryBlockBytes: Int
    /// The largest payload accepted (TubeMQ's hard limit is 20 MB).
    public var maxMessageBytes: Int

    /// Creates a configuration.
    public init(
        storeCount: Int = 1,
        partitionsPerStore: Int = 1,
        segmentBytes: Int64 = 1 << 30,
        flush: FlushPolicy = .asynchronous,
        retention: RetentionPolicy = RetentionPolicy(),
        memoryBlockBytes: Int = 4 << 20,
        maxMessageBytes: Int = 20 << 20
    ) {
        self.storeCount = storeCount
        self.partitionsPerStore = partitionsPerStore
        self.segmentBytes = segmentBytes
        self.flush = flush
        self.retention = retention
        self.memoryBlockBytes = memoryBlockBytes
        self.maxMessageBytes = maxMessageBytes
    }

    /// Whether an open topic with this configuration can take `other` in place
    /// (``MessageStore/reconfigureTopic(_:configuration:)``): it keeps or adds stores and partitions per
    /// store; any other setting may change.
    public func canBeReconfigured(to other: TopicConfiguration) -> Bool {
        other.storeCount >= storeCount && other.partitionsPerStore >= partitionsPerStore
    }

    /// Checks every value.
    ///
    /// - Throws: ``StorageError`` with code ``StorageError/Code/invalidConfiguration``.
    public func validate() throws(StorageError) {
        func fail(_ text: String) -> StorageError { StorageError(code: .invalidConfiguration, message: text) }
        guard (1...9999).contains(storeCount) else { throw fail("storeCount \(storeCount) not in 1...9999") }
        guard (1...9999).contains(partitionsPerStore) else {
            throw fail("partitionsPerStore \(partitionsPerStore) not in 1...9999")
        }
        guard segmentBytes >= 4096 else { throw fail("segmentBytes \(segmentBytes) below 4096") }
        guard memoryBlockBytes >= 1024 else { throw fail("memoryBlockBytes \(memoryBlockBytes) below 1024") }
        guard maxMessageBytes >= 1, maxMessageBytes <= Int(Int32.max) - RecordLayout.headerSize else {
            throw fail("maxMessageBytes \(maxMessageBytes) out of range")
        }
        guard flush.interval > .zero else { throw fail("flush interval must be positive") }
        guard flush.retryDelay >= .zero else { throw fail("flush retry delay must not be negative") }
        if let maxAge = retention.maxAge, maxAge <= .zero { throw fail("retention maxAge must be positive") }
        if let maxBytes = retention.maxBytes, maxBytes <= 0 { throw fail("retention maxBytes must be positive") }
    }
}

extension Duration {
    /// The duration in whole milliseconds, saturating.
    var storageMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        return ms &+ attoseconds / 1_000_000_000_000_000
    }
}
