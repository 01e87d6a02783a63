/// How much one storage instance (or a whole topic) holds, for metrics and monitoring.
public struct StorageUsage: Sendable, Hashable {
    /// Bytes in the segment files (data and index) on disk.
    public var diskBytes: Int64 = 0
    /// Of ``diskBytes``, the bytes of the index files.
    public var indexBytes: Int64 = 0
    /// Record bytes appended but still only in memory blocks (not yet written to the files).
    public var memoryBytes: Int64 = 0
    /// Messages appended and still in memory blocks.
    public var memoryMessages: Int64 = 0

    /// Creates a usage.
    public init(diskBytes: Int64 = 0, indexBytes: Int64 = 0, memoryBytes: Int64 = 0, memoryMessages: Int64 = 0) {
        self.diskBytes = diskBytes
        self.indexBytes = indexBytes
        self.memoryBytes = memoryBytes
        self.memoryMessages = memoryMessages
    }

    /// Adds another instance's usage.
    public static func + (lhs: StorageUsage, rhs: StorageUsage) -> StorageUsage {
        StorageUsage(
            diskBytes: lhs.diskBytes + rhs.diskBytes,
            indexBytes: lhs.indexBytes + rhs.indexBytes,
            memoryBytes: lhs.memoryBytes + rhs.memoryBytes,
            memoryMessages: lhs.memoryMessages + rhs.memoryMessages
        )
    }
}
