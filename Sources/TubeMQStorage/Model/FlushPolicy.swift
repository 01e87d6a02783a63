/// When appended messages are written to disk, and when an append is acknowledged.
///
/// Appends land in an in-memory block. A block that fills (``TopicConfiguration/memoryBlockBytes``)
/// is written to the segment files without a sync. Everything appended is written and the data
/// file `fdatasync`ed as soon as any threshold is reached: ``messageThreshold`` messages since the
/// last sync (TubeMQ's `unflushThreshold`), ``byteThreshold`` bytes (`unflushDataHold`), or
/// ``interval`` since the oldest unsynced message (`unflushInterval`).
public struct FlushPolicy: Sendable, Hashable {
    /// When an append returns.
    public enum Acknowledgement: String, Sendable, Hashable, CaseIterable {
        /// Once the messages are in the memory block (TubeMQ's behaviour); a crash may lose up to
        /// one flush window. After a failed write nothing more is acknowledged until a retry succeeds.
        case memory
        /// Once the messages' records and index entries are written and both the data and the
        /// index file were `fdatasync`ed. Appends waiting meanwhile share one write and one sync
        /// (group commit); a failed write or sync is never acknowledged.
        case disk
    }

    /// When an append is acknowledged.
    public var acknowledgement: Acknowledgement
    /// Flush after this many unflushed messages; 0 or less disables the count trigger.
    public var messageThreshold: Int
    /// Flush after this many unflushed bytes; 0 or less disables the byte trigger.
    public var byteThreshold: Int
    /// Flush when the oldest unflushed message is this old.
    public var interval: Duration
    /// How long the flusher waits before retrying a failed write.
    public var retryDelay: Duration

    /// Creates a policy; the defaults are TubeMQ's (1,000 messages, 10 s, no byte threshold).
    public init(
        acknowledgement: Acknowledgement = .memory,
        messageThreshold: Int = 1000,
        byteThreshold: Int = 0,
        interval: Duration = .seconds(10),
        retryDelay: Duration = .seconds(1)
    ) {
        self.acknowledgement = acknowledgement
        self.messageThreshold = messageThreshold
        self.byteThreshold = byteThreshold
        self.interval = interval
        self.retryDelay = retryDelay
    }

    /// TubeMQ's defaults: acknowledge from memory, flush at 1,000 messages or 10 s.
    public static let asynchronous = FlushPolicy()

    /// Acknowledge an append only once it is on disk.
    public static let synchronous = FlushPolicy(acknowledgement: .disk)
}

/// How long data is kept: whole segments are deleted once they are older than ``maxAge`` or once
/// the instance holds more than ``maxBytes``. The newest segment is never deleted.
public struct RetentionPolicy: Sendable, Hashable {
    /// Delete a segment when its newest message is older than this (TubeMQ `deletePolicy`, default 168 h).
    public var maxAge: Duration?
    /// Delete the oldest segments while an instance's files exceed this many bytes.
    public var maxBytes: Int64?

    /// Creates a policy; `nil` disables a limit.
    public init(maxAge: Duration? = .seconds(168 * 3600), maxBytes: Int64? = nil) {
        self.maxAge = maxAge
        self.maxBytes = maxBytes
    }
}
