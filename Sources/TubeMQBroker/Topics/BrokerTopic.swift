import TubeMQCore
public import TubeMQStorage

/// A topic as this broker serves it: its layout and its publish/subscribe switches.
public struct BrokerTopic: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// Storage instances of the topic on this broker.
    public var stores: Int32
    /// Partitions per storage instance.
    public var partitionsPerStore: Int32
    /// Whether producers may send.
    public var acceptPublish: Bool
    /// Whether consumers may read.
    public var acceptSubscribe: Bool
    /// The largest message payload accepted, in bytes.
    public var maxMessageSize: Int
    /// Flush after this many unflushed messages.
    public var unflushThreshold: Int
    /// Flush after this many milliseconds.
    public var unflushIntervalMillis: Int
    /// Flush after this many unflushed bytes (0 = off).
    public var unflushDataHold: Int
    /// Retention in seconds (from `deletePolicy`).
    public var retentionSeconds: Int64
    /// When a send is acknowledged: once in memory, or once written and synced.
    public var acknowledgement: FlushPolicy.Acknowledgement
    /// The most bytes the topic keeps on this broker, shared out among its storage instances (`nil`: no cap).
    public var retentionBytes: Int64?

    /// Creates a topic with the real broker's defaults.
    public init(
        name: String,
        stores: Int32 = 1,
        partitionsPerStore: Int32 = 1,
        acceptPublish: Bool = true,
        acceptSubscribe: Bool = true,
        maxMessageSize: Int = 1 << 20,
        unflushThreshold: Int = 1000,
        unflushIntervalMillis: Int = 10_000,
        unflushDataHold: Int = 0,
        retentionSeconds: Int64 = 168 * 3600,
        acknowledgement: FlushPolicy.Acknowledgement = .memory,
        retentionBytes: Int64? = nil
    ) {
        self.name = name
        self.stores = stores
        self.partitionsPerStore = partitionsPerStore
        self.acceptPublish = acceptPublish
        self.acceptSubscribe = acceptSubscribe
        self.maxMessageSize = maxMessageSize
        self.unflushThreshold = unflushThreshold
        self.unflushIntervalMillis = unflushIntervalMillis
        self.unflushDataHold = unflushDataHold
        self.retentionSeconds = retentionSeconds
        self.acknowledgement = acknowledgement
        self.retentionBytes = retentionBytes
    }

    /// Every partition id of the topic on this broker.
    public var partitionIDs: [Int32] { PartitionID.all(stores: stores, partitionsPerStore: partitionsPerStore) }

    /// Whether `partitionID` is one of the topic's partitions.
    public func hasPartition(_ partitionID: Int32) -> Bool {
        partitionID >= 0 && PartitionID.storeIndex(of: partitionID) < stores
            && PartitionID.index(of: partitionID) < partitionsPerStore
    }
}
