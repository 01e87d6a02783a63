import Logging
import Synchronization
import TubeMQCore

/// One storage instance of a topic (TubeMQ's "topic store"): an actor owning a directory of
/// segments — each a data file and an index file — and the memory blocks in front of them.
///
/// All partitions of the instance (`storeIndex * 10000 + 0..<n`) share one index, so they share
/// one offset range. Appends land in the active memory block; a detached flusher task, created
/// when the instance opens and joined when it closes, writes sealed blocks to disk on the shared
/// I/O threads, so no disk I/O runs on this actor's executor.
///
/// Isolation: every method runs on the actor; methods that wait for disk I/O or durability
/// suspend, and the instance re-checks its lifecycle state after each suspension.
public actor StorageInstance {
    enum State {
        case open
        case closing
        case closed
    }

    /// The index of this instance within its topic.
    public nonisolated let storeIndex: Int32
    /// The topic name, for logs and errors.
    public nonisolated let topic: String
    nonisolated let directory: String
    /// The settings in force; ``reconfigure(_:)`` replaces them while the instance serves.
    var configuration: TopicConfiguration
    /// Mirrors `configuration.partitionsPerStore` for ``holds(partitionID:)``, readable without a hop.
    nonisolated let partitionCount: Atomic<Int>
    let environment: StorageEnvironment
    var logger: Logger

    var state = State.open
    /// Segments in entry order; the last one receives appends.
    var segments: [SegmentInfo]
    /// The oldest readable entry.
    var minEntry: Int64
    /// The entry the next append gets.
    var nextEntry: Int64
    /// Entries below this are on disk and synced.
    var durableEntry: Int64
    /// Entries below this are in the segment files (maybe only in the page cache); reads of them go
    /// to the files (unless a ``recent`` block still holds them), reads of later entries to the
    /// memory blocks.
    var writtenEntry: Int64
    /// Append time of the newest message; append times never go backwards.
    var lastAppendTime: Int64

    /// The block receiving appends.
    var active = MemoryBlock()
    /// Full or due blocks waiting for the flusher, oldest first.
    var sealed: [MemoryBlock] = []
    /// The job the flusher is running (kept after a failure, for the retry).
    var currentJob: FlushJob?
    /// The block the flusher is writing, if any.
    var inFlight: MemoryBlock? { currentJob?.block }
    /// A flushed block kept for reuse while traffic continues.
    var spare: MemoryBlock?
    /// The blocks written last, oldest first, kept readable while traffic continues: a consumer
    /// just behind the writers is served from memory instead of the segment files. Bounded by
    /// ``recentBlockLimit`` blocks and `memoryBlockBytes` of records.
    var recent: [MemoryBlock] = []
    /// Whether everything appended must be written and synced now (a threshold, the interval, a
    /// disk-acknowledged append or a `flush()` call). A block that merely fills is written unsynced.
    var syncRequested = false
    /// Append time of the oldest message not yet synced, for the flush interval.
    var oldestUnsyncedTime: Int64?
    /// Record bytes appended since the last sync, for the byte threshold.
    var unsyncedBytes = 0
    var nextJobID = 0
    /// The last write failure, kept until a retry succeeds and reported by appends meanwhile.
    var writeError: StorageError? {
        didSet { writable.store(writeError == nil, ordering: .releasing) }
    }
    /// Mirrors `writeError == nil` for ``isWritable``, readable without an actor hop.
    nonisolated let writable = Atomic<Bool>(true)
    /// What the flusher has done so far.
    var statistics = FlushStatistics()

    var flusher: Task<Void, Never>?
    var flusherWaiter: CheckedContinuation<Void, Never>?
    var timer: Task<Void, Never>?
    var durabilityWaiters: [DurabilityWaiter] = []
    /// The checkpoint on disk; an unchanged one is not rewritten at close.
    var storedCheckpoint: Checkpoint?
    var spaceWaiters: [CheckedContinuation<Void, Never>] = []

    struct DurabilityWaiter {
        let entry: Int64
        let continuation: CheckedContinuation<Result<Void, StorageError>, Never>
    }

    init(
        topic: String,
        storeIndex: Int32,
        directory: String,
        configuration: TopicConfiguration,
        environment: StorageEnvironment,
        recovered: InstanceRecovery.Outcome
    ) {
        self.topic = topic
        self.storeIndex = storeIndex
        self.directory = directory
        self.configuration = configuration
        self.environment = environment
        partitionCount = Atomic(configuration.partitionsPerStore)
        logger = Self.instanceLogger(environment.logger, topic: topic, storeIndex: storeIndex)
        segments = recovered.segments
        minEntry = recovered.segments.first?.base ?? recovered.nextEntry
        nextEntry = recovered.nextEntry
        durableEntry = recovered.nextEntry
        writtenEntry = recovered.nextEntry
        lastAppendTime = recovered.segments.last?.lastAppendTime ?? 0
        storedCheckpoint = recovered.checkpoint
    }

    /// Opens (recovering if needed) the instance in `directory` and starts its flusher.
    static func open(
        topic: String,
        storeIndex: Int32,
        directory: String,
        configuration: TopicConfiguration,
        environment: StorageEnvironment
    ) async throws(StorageError) -> StorageInstance {
        let logger = instanceLogger(environment.logger, topic: topic, storeIndex: storeIndex)
        let partitions = configuration.partitionsPerStore
        let recovered = try await environment.pool.run { () throws(StorageError) in
            try InstanceRecovery.recover(directory: directory, logger: logger) { partitionID in
                partitionID >= 0 && PartitionID.storeIndex(of: partitionID) == storeIndex
                    && PartitionID.index(of: partitionID) < Int32(partitions)
            }
        }
        let instance = StorageInstance(
            topic: topic,
            storeIndex: storeIndex,
            directory: directory,
            configuration: configuration,
            environment: environment,
            recovered: recovered
        )
        await instance.start(recovered: recovered)
        return instance
    }

    /// The store's logger with the instance's topic and store index as metadata.
    static func instanceLogger(_ base: Logger, topic: String, storeIndex: Int32) -> Logger {
        var logger = base
        logger[metadataKey: "tubemq.topic"] = "\(topic)"
        logger[metadataKey: "tubemq.store"] = "\(storeIndex)"
        return logger
    }

    private func start(recovered: InstanceRecovery.Outcome) {
        resetActive()
        if recovered.repaired {
            // Each damaged range was logged as an error by the scan; this is the summary.
            let metadata: Logger.Metadata = [
                "tubemq.truncatedBytes": "\(recovered.truncatedBytes)",
                "tubemq.skippedBytes": "\(recovered.skippedBytes)",
                "tubemq.skippedEntries": "\(recovered.skippedEntries)",
                "tubemq.rebuiltEntries": "\(recovered.rebuiltEntries)",
                "tubemq.restoredEntries": "\(recovered.restoredEntries)",
                "tubemq.droppedEntries": "\(recovered.droppedEntries)",
            ]
            // An error whenever messages were lost (cut, skipped or dropped) or rebuilt; a warning when
            // index entries were only restored from intact data.
            if recovered.truncatedBytes > 0 || recovered.skippedBytes > 0 || recovered.rebuiltEntries > 0
                || recovered.skippedEntries > 0 || recovered.droppedEntries > 0
            {
                logger.error("recovered storage instance with damaged data", metadata: metadata)
            } else {
                logger.warning("recovered storage instance", metadata: metadata)
            }
        }
        let environment = self.environment
        flusher = Task.detached { [self] in
            await Flusher.run(instance: self, environment: environment)
        }
    }

    /// The offsets this instance can serve: `min` is the oldest retained entry, `max` the next
    /// append's offset (including messages still in memory).
    public var offsetRange: OffsetRange {
        OffsetRange(min: StorageOffset.offset(ofEntry: minEntry), max: StorageOffset.offset(ofEntry: nextEntry))
    }

    /// The offset below which every message is on disk and synced.
    public var durableOffset: Int64 { StorageOffset.offset(ofEntry: durableEntry) }

    /// The offset below which every message is in the segment files (synced or not).
    var writtenOffset: Int64 { StorageOffset.offset(ofEntry: writtenEntry) }

    /// Whether the instance accepts appends: `false` from the first failed write (of either flush
    /// policy) until the flusher's background retry of that write succeeds.
    ///
    /// Readable from any context without an actor hop, so the broker can report it cheaply; the
    /// cause is ``writeFailure``.
    public nonisolated var isWritable: Bool { writable.load(ordering: .acquiring) }

    /// The failure that makes the instance not writable (``StorageError/Code/noSpace`` for a full
    /// device, ``StorageError/Code/writeFailed`` otherwise, with the `errno`), or `nil` when writable.
    public var writeFailure: StorageError? { writeError }

    /// Counters of the flusher: jobs, syncs, messages per sync, failures.
    public var flushStatistics: FlushStatistics { statistics }

    /// Whether `partitionID` belongs to this instance.
    public nonisolated func holds(partitionID: Int32) -> Bool {
        partitionID >= 0 && PartitionID.storeIndex(of: partitionID) == storeIndex
            && PartitionID.index(of: partitionID) < Int32(partitionCount.load(ordering: .acquiring))
    }

    /// Takes new settings without closing: appends, reads and flushes in progress go on, and later
    /// ones follow the new settings (a flush interval from the next sync it schedules). Partitions
    /// may only be added; the caller (``MessageStore/reconfigureTopic(_:configuration:)``) checks that.
    func reconfigure(_ configuration: TopicConfiguration) {
        self.configuration = configuration
        partitionCount.store(configuration.partitionsPerStore, ordering: .releasing)
    }

    /// Flushes everything appended, joins the flusher, and records a checkpoint for fast recovery.
    ///
    /// Appends and reads issued after `close()` began fail with ``StorageError/Code/closed``.
    /// Closing twice is harmless.
    ///
    /// - Throws: when appended messages could not be written and synced: an error with the code of
    ///   the write failure (``StorageError/Code/noSpace`` or ``StorageError/Code/writeFailed``), its
    ///   `errno`, and a message that says how many messages were not written. The instance is
    ///   closed regardless and those messages are lost. A store that acknowledges from disk does not
    ///   throw for them (none was acknowledged); it logs a warning.
    public func close() async throws(StorageError) {
        guard state == .open else {
            if state == .closing, let flusher { await flusher.value }
            return
        }
        state = .closing
        timer?.cancel()
        timer = nil
        flusher?.cancel()
        signalFlusher()
        await flusher?.value
        flusher = nil
        state = .closed
        let lostEntries = nextEntry - durableEntry
        let failure = writeError
        let closedError = StorageError.closed("storage instance \(topic)#\(storeIndex)")
        for waiter in durabilityWaiters { waiter.continuation.resume(returning: .failure(failure ?? closedError)) }
        durabilityWaiters.removeAll()
        resumeSpaceWaiters()
        currentJob = nil
        sealed.removeAll()
        active = MemoryBlock()
        spare = nil
        recent.removeAll()
        if lostEntries > 0, configuration.flush.acknowledgement == .disk {
            // Acknowledged from disk: none of them was acknowledged (their producers were told the
            // write failed), so nothing acknowledged is lost.
            logger.warning(
                "closed with messages not written; none was acknowledged (this store acknowledges from disk)",
                metadata: [
                    "tubemq.unwritten": "\(lostEntries)", "tubemq.error": "\(failure.map { "\($0)" } ?? "none")",
                ]
            )
        } else if lostEntries > 0 {
            let cause = failure.map { ": \($0.message)" } ?? ""
            let error = StorageError(
                code: failure?.code ?? .writeFailed,
                message:
                    "storage instance \(topic)#\(storeIndex) closed with \(lostEntries) messages not written\(cause)",
                systemErrno: failure?.systemErrno
            )
            logger.error(
                "closed with messages not written",
                metadata: ["tubemq.lost": "\(lostEntries)", "tubemq.error": "\(failure.map { "\($0)" } ?? "none")"]
            )
            throw error
        }
        if let tail = segments.last {
            let checkpoint = Checkpoint(segmentBase: tail.base, entries: tail.durableEntries, bytes: tail.durableBytes)
            guard checkpoint != storedCheckpoint else { return }  // idle since it was written
            let directory = self.directory
            // The checkpoint vouches for the index too, so the index is synced first. It only spares the
            // next start a check of the tail: failing to write it (a full disk) loses nothing, and is
            // not a failed close.
            do throws(StorageError) {
                try await environment.pool.run { () throws(StorageError) in
                    if checkpoint.entries > 0 {
                        try Flusher.syncSegment(checkpoint.segmentBase, in: directory, data: false)
                    }
                    try checkpoint.store(directory: directory)
                }
            } catch {
                logger.warning(
                    "could not write the recovery checkpoint; the next start checks the files' tail instead",
                    metadata: ["tubemq.error": "\(error)"]
                )
            }
        }
    }

    func ensureOpen() throws(StorageError) {
        guard state == .open else { throw .closed("storage instance \(topic)#\(storeIndex)") }
    }
}
