/// A read of one partition from an offset.
///
/// A read scans the shared index from ``offset``, keeps the entries of ``partitionID`` whose type
/// hash is in ``typeHashes`` (all types when `nil`), and stops at ``maxCount`` messages, at
/// ``maxBytes`` of payload (at least one message is always returned when one matches), after
/// ``maxScanEntries`` index entries, or at the end of the data.
public struct ReadRequest: Sendable, Hashable {
    /// The partition to read.
    public var partitionID: Int32
    /// The offset to start from, as returned by a previous read or an offset query.
    public var offset: Int64
    /// The payload byte budget.
    public var maxBytes: Int
    /// The most messages to return.
    public var maxCount: Int
    /// The most index entries to examine, matching or not; bounds the work of sparse reads.
    public var maxScanEntries: Int
    /// Only messages whose type hash is in this set; `nil` for every message.
    public var typeHashes: Set<Int32>?

    /// Creates a read request.
    public init(
        partitionID: Int32,
        offset: Int64,
        maxBytes: Int = 1 << 20,
        maxCount: Int = 1000,
        maxScanEntries: Int = 4096,
        typeHashes: Set<Int32>? = nil
    ) {
        self.partitionID = partitionID
        self.offset = offset
        self.maxBytes = maxBytes
        self.maxCount = maxCount
        self.maxScanEntries = maxScanEntries
        self.typeHashes = typeHashes
    }
}

/// The outcome of a read.
public struct ReadResult: Sendable {
    /// The matching messages in offset order.
    public var messages: [StoredMessage]
    /// Where the next read of this partition should start. It moves past every entry examined,
    /// even when none matched (other partitions' entries, or types the filter skipped).
    public var nextOffset: Int64
    /// The instance's offset range when the read finished.
    public var range: OffsetRange

    /// Creates a result.
    public init(messages: [StoredMessage], nextOffset: Int64, range: OffsetRange) {
        self.messages = messages
        self.nextOffset = nextOffset
        self.range = range
    }
}
