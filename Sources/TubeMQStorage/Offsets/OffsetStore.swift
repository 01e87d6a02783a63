/// Consumer offsets per (group, topic, partition): the *committed* offset, durable across
/// restarts, and the *tentative* offset of the batch a consumer holds but has not confirmed,
/// which at-least-once delivery needs (it lives in memory only: after a restart, consumption
/// resumes from the committed offset and the unconfirmed batch is delivered again).
///
/// Commits are appended to a log and synced before ``commit(group:topic:partitionID:offset:)``
/// returns; concurrent commits share one sync. Confirmations of consumed batches
/// (``committedOffset(group:topic:partitionID:confirmingTentative:)``) take the same path without
/// waiting for it. The log is compacted by atomic replacement once
/// it holds many more records than keys.
public actor OffsetStore {
    /// What an offset belongs to.
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        /// The consumer group.
        public var group: String
        /// The topic.
        public var topic: String
        /// The partition id.
        public var partitionID: Int32

        /// Creates a key.
        public init(group: String, topic: String, partitionID: Int32) {
            self.group = group
            self.topic = topic
            self.partitionID = partitionID
        }

        /// `group/topic/partition`.
        public var description: String { "\(group)/\(topic)/\(partitionID)" }
    }

    private let log: OffsetLog
    private let environment: StorageEnvironment
    private var committed: [Key: Int64]
    private var tentative: [Key: Int64] = [:]
    private var logRecords: Int
    private var logSize: Int64
    private var pending: [UInt8] = []
    private var pendingSequence = 0
    private var isWriting = false
    private var waiters: [(sequence: Int, continuation: CheckedContinuation<Result<Void, StorageError>, Never>)] = []
    private var isClosed = false
    /// Writes the confirmations of ``committedOffset(group:topic:partitionID:confirmingTentative:)``;
    /// joined by ``close()``.
    private var backgroundWrite: Task<Void, Never>?

    private init(log: OffsetLog, environment: StorageEnvironment, committed: [Key: Int64], records: Int, size: Int64) {
        self.log = log
        self.environment = environment
        self.committed = committed
        logRecords = records
        logSize = size
    }

    static func open(directory: String, environment: StorageEnvironment) async throws(StorageError) -> OffsetStore {
        let log = OffsetLog(directory: directory)
        var loaded = try await environment.pool.run { () throws(StorageError) in try log.load() }
        if loaded.truncatedBytes > 0 {
            environment.logger.warning(
                "cut a torn or damaged tail from the consumer offset log",
                metadata: ["tubemq.bytes": "\(loaded.truncatedBytes)", "tubemq.path": "\(log.path)"]
            )
        }
        if loaded.damagedPlaces > 0 {
            environment.logger.error(
                "stepped over damaged records in the consumer offset log: their groups resume from an earlier offset of theirs, or as new groups; every record after them is kept",
                metadata: [
                    "tubemq.places": "\(loaded.damagedPlaces)", "tubemq.bytes": "\(loaded.damagedBytes)",
                    "tubemq.path": "\(log.path)",
                ]
            )
            // Rewrite the log without the damage, so it is not met again; the damaged log stays valid
            // to replay if this fails.
            let snapshot = loaded.offsets
            if let size = try? await environment.pool.run({ () throws(StorageError) in try log.compact(snapshot) }) {
                loaded.size = size
                loaded.records = snapshot.count
            }
        }
        return OffsetStore(
            log: log,
            environment: environment,
            committed: loaded.offsets,
            records: loaded.records,
            size: loaded.size
        )
    }

    /// The committed offset of `key`, if any.
    public func committedOffset(_ key: Key) -> Int64? { committed[key] }

    /// The committed offset of a group's partition, if any.
    public func committedOffset(group: String, topic: String, partitionID: Int32) -> Int64? {
        committed[Key(group: group, topic: topic, partitionID: partitionID)]
    }

    /// Every committed offset.
    public func allCommittedOffsets() -> [Key: Int64] { committed }

    /// Every committed offset of `group`.
    public func committedOffsets(group: String) -> [Key: Int64] {
        committed.filter { $0.key.group == group }
    }

    /// Records the committed offset of a group's partition durably.
    ///
    /// - Throws: ``StorageError/Code/writeFailed`` (or ``StorageError/Code/noSpace``) when the log
    ///   cannot be written or synced: the new value stays visible in memory and is written by a retry
    ///   every second until one succeeds. ``StorageError/Code/closed``.
    public func commit(group: String, topic: String, partitionID: Int32, offset: Int64) async throws(StorageError) {
        try await commit([(Key(group: group, topic: topic, partitionID: partitionID), offset)])
    }

    /// Records several committed offsets durably with one sync.
    ///
    /// - Throws: see ``commit(group:topic:partitionID:offset:)``; negative offsets are rejected
    ///   with ``StorageError/Code/invalidArgument``.
    public func commit(_ offsets: [(key: Key, offset: Int64)]) async throws(StorageError) {
        guard !isClosed else { throw .closed("offset store") }
        guard offsets.allSatisfy({ $0.offset >= 0 }) else {
            throw StorageError(code: .invalidArgument, message: "committed offsets must not be negative")
        }
        guard !offsets.isEmpty else { return }
        for (key, offset) in offsets {
            committed[key] = offset
            OffsetLogRecord(key: key, offset: offset).encode(into: &pending)
        }
        try await persist(records: offsets.count)
    }

    /// Forgets the committed and tentative offsets of `group` (for every topic), durably.
    public func removeGroup(_ group: String) async throws(StorageError) {
        try await forget { $0.group == group }
    }

    /// Forgets every group's committed and tentative offsets in `topic`, durably (the topic was removed).
    public func removeTopic(_ topic: String) async throws(StorageError) {
        try await forget { $0.topic == topic }
    }

    /// Forgets the committed and tentative offsets of the keys `matching` selects, durably.
    private func forget(_ matching: (Key) -> Bool) async throws(StorageError) {
        guard !isClosed else { throw .closed("offset store") }
        let keys = committed.keys.filter(matching)
        tentative = tentative.filter { !matching($0.key) }
        guard !keys.isEmpty else { return }
        for key in keys {
            committed[key] = nil
            OffsetLogRecord(key: key, offset: OffsetLogRecord.deleted).encode(into: &pending)
        }
        try await persist(records: keys.count)
    }

    /// Moves committed offsets of `topic` that lie beyond the end of their partition back to that end.
    ///
    /// Only a loss puts a committed offset there: messages acknowledged from memory and lost in a
    /// crash, or a damaged segment tail cut off by recovery. New messages then take the lost
    /// offsets again, and a group left beyond them would skip every one (nothing is read below a
    /// committed offset). The store calls this when it opens a topic, before the topic takes sends.
    ///
    /// - Parameters:
    ///   - topic: The topic just opened.
    ///   - partitionEnds: The end (next append offset) of each partition to check; offsets of other
    ///     partitions are left alone.
    /// - Returns: What was moved: the key, the offset it had, and the offset it has now. The moves are
    ///   written to the log; a failed write is logged and retried as a confirmation's is.
    @discardableResult
    public func clampCommittedOffsets(
        topic: String,
        partitionEnds: [Int32: Int64]
    ) async -> [(key: Key, from: Int64, to: Int64)] {
        guard !isClosed else { return [] }
        var moved: [(key: Key, from: Int64, to: Int64)] = []
        for (key, offset) in committed where key.topic == topic {
            guard let end = partitionEnds[key.partitionID], offset > end else { continue }
            moved.append((key, offset, end))
        }
        guard !moved.isEmpty else { return [] }
        for move in moved {
            committed[move.key] = move.to
            tentative[move.key] = nil
            OffsetLogRecord(key: move.key, offset: move.to).encode(into: &pending)
            environment.logger.warning(
                "a committed offset lay beyond the end of its partition (messages stored there were lost); moved to the end so that new messages reach the group",
                metadata: [
                    "tubemq.group": "\(move.key.group)",
                    "tubemq.topic": "\(topic)",
                    "tubemq.partition": "\(move.key.partitionID)",
                    "tubemq.committed": "\(move.from)",
                    "tubemq.end": "\(move.to)",
                ]
            )
        }
        do throws(StorageError) {
            try await persist(records: moved.count)
        } catch {
            environment.logger.error(
                "writing moved offsets failed; retrying",
                metadata: ["tubemq.error": "\(error)"]
            )
        }
        return moved
    }

    /// Sets the tentative offset: where the partition's next read starts once the batch just
    /// handed out is confirmed. In memory only.
    public func setTentativeOffset(group: String, topic: String, partitionID: Int32, offset: Int64) {
        tentative[Key(group: group, topic: topic, partitionID: partitionID)] = offset
    }

    /// The tentative offset, if a batch is outstanding.
    public func tentativeOffset(group: String, topic: String, partitionID: Int32) -> Int64? {
        tentative[Key(group: group, topic: topic, partitionID: partitionID)]
    }

    /// Drops the tentative offset, so the outstanding batch will be delivered again.
    public func discardTentativeOffset(group: String, topic: String, partitionID: Int32) {
        tentative[Key(group: group, topic: topic, partitionID: partitionID)] = nil
    }

    /// Commits the tentative offset durably and clears it; returns the committed offset (the
    /// existing one when no batch was outstanding).
    ///
    /// - Throws: see ``commit(group:topic:partitionID:offset:)``.
    @discardableResult
    public func confirmTentativeOffset(
        group: String,
        topic: String,
        partitionID: Int32
    ) async throws(StorageError) -> Int64? {
        let key = Key(group: group, topic: topic, partitionID: partitionID)
        guard let offset = tentative.removeValue(forKey: key) else { return committed[key] }
        try await commit([(key, offset)])
        return offset
    }

    /// The committed offset of a group's partition, after committing the outstanding batch (its
    /// tentative offset, if any) when `confirmingTentative`: where a fetch reads from, or what a
    /// consumer's commit reports.
    ///
    /// The confirmation is visible at once and written to the log in the background, at most
    /// ``confirmationWriteDelay`` later, sharing a write and a sync with the confirmations (and
    /// commits) of that moment: the caller does not wait for the disk, and a consumer fetching
    /// thousands of batches a second costs a few syncs a second, not one per batch. A crash before
    /// that sync loses only the confirmation, so the batch is delivered again — still at least once
    /// (the Java broker likewise keeps fetch confirmations in a cache that it flushes every second).
    public func committedOffset(group: String, topic: String, partitionID: Int32, confirmingTentative: Bool) -> Int64? {
        let key = Key(group: group, topic: topic, partitionID: partitionID)
        if confirmingTentative, !isClosed, let offset = tentative.removeValue(forKey: key) {
            committed[key] = offset
            OffsetLogRecord(key: key, offset: offset).encode(into: &pending)
            logRecords += 1
            // Gather the confirmations of the next moment into the same write and sync.
            if !isWriting { scheduleBackgroundWrite(after: Self.confirmationWriteDelay) }
        }
        return committed[key]
    }

    /// How long a fetch's confirmation may wait for the background write that makes it durable.
    static let confirmationWriteDelay: Duration = .milliseconds(100)

    /// Writes what is pending after `delay`, in a task ``close()`` joins; one such task at a time.
    private func scheduleBackgroundWrite(after delay: Duration) {
        guard !isClosed, backgroundWrite == nil else { return }
        backgroundWrite = Task {
            try? await Task.sleep(for: delay)
            await self.writeInBackground()
        }
    }

    private func writeInBackground() async {
        backgroundWrite = nil  // a failure below schedules the next attempt
        guard !isClosed else { return }
        // A failure is logged once by `noteWriteFailed` and retried by `persist` itself.
        _ = try? await persist(records: 0)
    }

    /// Waits for pending writes and refuses further commits.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        backgroundWrite?.cancel()  // ends its wait; what it would have written is written below
        await backgroundWrite?.value
        if isWriting || !pending.isEmpty {
            _ = try? await persist(records: 0)
        }
        if writeFailure != nil, !pending.isEmpty {
            environment.logger.error(
                "closed with consumer offsets not written: those groups resume from their last written offsets",
                metadata: ["tubemq.bytes": "\(pending.count)", "tubemq.error": "\(writeFailure.map { "\($0)" } ?? "")"]
            )
        }
    }

    /// Group commit: the first caller writes everything pending (including what arrives while it
    /// writes); the others wait for the write that covers their records.
    private func persist(records: Int) async throws(StorageError) {
        pendingSequence += 1
        logRecords += records
        let mine = pendingSequence
        if isWriting {
            let result = await withCheckedContinuation { waiters.append((mine, $0)) }
            try result.get()
            return
        }
        isWriting = true
        defer { isWriting = false }
        var failure: StorageError?  // the failure of this caller's own records
        var stopped: StorageError?  // a write failed: what is pending waits for the retry
        writing: while true {
            while !pending.isEmpty {
                let bytes = pending
                let covered = pendingSequence
                pending.removeAll(keepingCapacity: true)
                let log = self.log
                let offset = logSize
                do throws(StorageError) {
                    try await environment.pool.run { () throws(StorageError) in try log.append(bytes, at: offset) }
                    logSize += Int64(bytes.count)
                    resumeWaiters(upTo: covered, with: .success(()))
                    noteWriteSucceeded()
                } catch {
                    failure = covered >= mine ? (failure ?? error) : failure
                    // Keep the records (in memory they already count) and write them again later, ahead
                    // of whatever arrived meanwhile, so the log keeps their order.
                    pending = bytes + pending
                    noteWriteFailed(error)
                    stopped = error
                    break writing
                }
            }
            // With nothing pending, every waiter's records are written (callers that added none,
            // like a closing store draining, are covered too).
            resumeWaiters(upTo: pendingSequence, with: .success(()))
            await compactIfNeeded()
            if pending.isEmpty { break }  // else commits arrived while compacting: write them
        }
        if let stopped {
            // Everyone waiting learns of the failure now; their records are written by the retry.
            resumeWaiters(upTo: pendingSequence, with: .failure(stopped))
            scheduleBackgroundWrite(after: Self.retryDelay)
        }
        if let failure { throw failure }
    }

    /// The failure of the last write to the log, `nil` once a write succeeds again.
    private var writeFailure: StorageError?

    /// How long after a failed write the records still pending are written again.
    static let retryDelay: Duration = .seconds(1)

    private func noteWriteFailed(_ error: StorageError) {
        if writeFailure == nil {
            environment.logger.error(
                "writing consumer offsets failed; they stay in memory and are written again every second",
                metadata: ["tubemq.error": "\(error)"]
            )
        }
        writeFailure = error
    }

    private func noteWriteSucceeded() {
        guard writeFailure != nil else { return }
        writeFailure = nil
        environment.logger.notice("consumer offsets written again after a failure")
    }

    private func resumeWaiters(upTo sequence: Int, with result: Result<Void, StorageError>) {
        var remaining: [(sequence: Int, continuation: CheckedContinuation<Result<Void, StorageError>, Never>)] = []
        for waiter in waiters {
            if waiter.sequence <= sequence {
                waiter.continuation.resume(returning: result)
            } else {
                remaining.append(waiter)
            }
        }
        waiters = remaining
    }

    /// Rewrites the log as a snapshot once it holds four times more records than keys. A failure
    /// is logged and leaves the (still valid) uncompacted log in place.
    private func compactIfNeeded() async {
        guard logRecords > 1024, logRecords > 4 * committed.count else { return }
        let snapshot = committed
        let log = self.log
        do throws(StorageError) {
            let size = try await environment.pool.run { () throws(StorageError) in try log.compact(snapshot) }
            // Records queued while compacting are in the snapshot too; appending them again is harmless.
            logSize = size
            logRecords = snapshot.count
        } catch {
            environment.logger.error("offset log compaction failed", metadata: ["tubemq.error": "\(error)"])
        }
    }
}
