/// Counters of one storage instance's flusher, for monitoring and benchmarks.
///
/// A *sync* is one flush job that ended with `fdatasync` of the data and index files; under
/// ``FlushPolicy/Acknowledgement/disk`` every append waiting when the job was issued shares it
/// (group commit), so ``syncedMessages`` / ``syncs`` is the number of messages per `fdatasync`.
public struct FlushStatistics: Sendable, Hashable {
    /// How many of the most recent syncs ``recentMessagesPerSync`` keeps.
    public static let recentLimit = 1024

    /// Flush jobs that completed (writes, syncs, or both).
    public var jobs: Int = 0
    /// Flush jobs that ended with an `fdatasync` of the data and index files.
    public var syncs: Int = 0
    /// Messages made durable by those syncs.
    public var syncedMessages: Int64 = 0
    /// Flush attempts that failed (each retry counts).
    public var failedJobs: Int = 0
    /// The number of messages each of the most recent syncs (up to ``recentLimit``) made durable,
    /// oldest first; a sync that found everything already durable counts 0.
    public var recentMessagesPerSync: [Int] = []

    /// Creates empty statistics.
    public init() {}

    /// The median of ``recentMessagesPerSync``, or `nil` before the first sync.
    public var medianMessagesPerSync: Double? {
        guard !recentMessagesPerSync.isEmpty else { return nil }
        let sorted = recentMessagesPerSync.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return Double(sorted[middle]) }
        return Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Records one completed sync that made `messages` durable.
    mutating func recordSync(messages: Int64) {
        syncs += 1
        syncedMessages += messages
        if recentMessagesPerSync.count == Self.recentLimit { recentMessagesPerSync.removeFirst() }
        recentMessagesPerSync.append(Int(messages))
    }
}
