/// One completed flush job, as the store's flush observer sees it (for metrics).
public struct FlushObservation: Sendable, Hashable {
    /// The topic of the storage instance that flushed.
    public var topic: String
    /// How long the job's writes (and sync, for a syncing job) took on the I/O threads.
    public var duration: Duration
    /// Record bytes written to the data file (0 for a sync-only job).
    public var bytes: Int64
    /// Messages written (0 for a sync-only job).
    public var messages: Int64
    /// Whether the job ended with an `fdatasync`.
    public var synced: Bool

    /// Creates an observation.
    public init(topic: String, duration: Duration, bytes: Int64, messages: Int64, synced: Bool) {
        self.topic = topic
        self.duration = duration
        self.bytes = bytes
        self.messages = messages
        self.synced = synced
    }
}
