/// The actor's side of the flush protocol: handing blocks to the flusher, taking back results,
/// and waking appenders waiting for durability or memory.
extension StorageInstance {
    /// What the flusher should do next.
    enum FlushWork: Sendable {
        /// Write this job.
        case write(FlushJob)
        /// Nothing to do yet: release idle resources, then ask again with `idle: true`.
        case idle
        /// The instance is closed and everything was flushed (or given up on): stop.
        case exit
    }

    /// What the flusher should do after a write.
    enum FlushOutcome: Sendable {
        /// Ask for more work.
        case proceed
        /// The write failed: wait this long, then ask again (the same job is retried).
        case retry(afterMilliseconds: Int64)
        /// The write failed while closing: stop.
        case giveUp
    }

    /// The next flush job; when `idle` is true and there is nothing to do, suspends until there is.
    ///
    /// Sealed blocks go first, in order. When a sync is requested (or the instance is closing),
    /// the active block is sealed too and the last block written carries the sync; with nothing
    /// left to write, a sync-only job covers data written earlier without one.
    func nextFlushWork(idle: Bool) async -> FlushWork {
        while true {
            if let currentJob { return .write(currentJob) }
            let wantSync = syncRequested || state != .open
            if wantSync, sealed.isEmpty, !active.isEmpty { sealActive() }
            if !sealed.isEmpty {
                let block = sealed.removeFirst()
                let last = sealed.isEmpty && active.isEmpty
                // Group commit: only the job that empties the queue syncs, and every append made
                // while earlier jobs ran rides on it (one write and one fdatasync for all of them).
                let sync = wantSync && last
                // A request is served only by a sync that covers everything appended.
                if sync { syncRequested = false }
                return .write(issue(block: block, segmentBase: block.segmentBase, sync: sync))
            }
            syncRequested = false
            if wantSync, writtenEntry > durableEntry, let position = segmentPosition(containing: writtenEntry - 1) {
                return .write(issue(block: nil, segmentBase: segments[position].base, sync: true))
            }
            if state != .open { return .exit }
            if !idle { return .idle }
            await withCheckedContinuation { flusherWaiter = $0 }
        }
    }

    private func issue(block: MemoryBlock?, segmentBase: Int64, sync: Bool) -> FlushJob {
        var previous: Int64?
        if let block, block.dataStart == 0, let position = segments.lastIndex(where: { $0.base == block.segmentBase }),
            position > 0
        {
            previous = segments[position - 1].base
        }
        nextJobID += 1
        let job = FlushJob(
            id: nextJobID,
            block: block,
            segmentBase: segmentBase,
            directory: directory,
            sync: sync,
            previousSegmentBase: previous
        )
        currentJob = job
        return job
    }

    /// Records the result of running `job`.
    func finishFlush(_ job: FlushJob, result: Result<Void, StorageError>, cancelled: Bool) -> FlushOutcome {
        guard job.id == currentJob?.id else { return .proceed }
        switch result {
        case .success:
            currentJob = nil
            if let failure = writeError {
                logger.notice(
                    "flush retry succeeded; appends are accepted again",
                    metadata: ["tubemq.recoveredFrom": "\(failure)"]
                )
                writeError = nil
            }
            statistics.jobs += 1
            let durableBefore = durableEntry
            if let previous = job.previousSegmentBase, let position = segments.lastIndex(where: { $0.base == previous })
            {
                segments[position].markSynced()
                durableEntry = max(durableEntry, segments[position].durableEnd)
            }
            if let block = job.block {
                writtenEntry = block.endEntry
                if let position = segments.lastIndex(where: { $0.base == block.segmentBase }) {
                    segments[position].writtenEntries += Int64(block.entryCount)
                    segments[position].writtenBytes = block.dataEnd
                    if segments[position].firstAppendTime == nil {
                        segments[position].firstAppendTime = block.firstAppendTime
                    }
                    segments[position].lastAppendTime = block.lastAppendTime
                }
                recycle(block)
            }
            if job.sync {
                if let position = segments.lastIndex(where: { $0.base == job.segmentBase }) {
                    segments[position].markSynced()
                }
                durableEntry = writtenEntry
                resetUnsyncedTracking()
                statistics.recordSync(messages: durableEntry - durableBefore)
            }
            resumeDurabilityWaiters()
            resumeSpaceWaiters()
            return .proceed
        case .failure(let failure):
            // Whatever failed in the flusher (a write, a sync, creating a segment file) makes the
            // instance not writable; keep the cause's code only when it says why (no space).
            let error =
                failure.isWriteFailure
                ? failure
                : StorageError(
                    code: .writeFailed,
                    message: failure.message,
                    systemErrno: failure.systemErrno
                )
            statistics.failedJobs += 1
            if writeError == nil {
                logger.error(
                    "flush failed; appends are refused until a retry succeeds",
                    metadata: [
                        "tubemq.error": "\(error)", "tubemq.unwritten": "\(nextEntry - durableEntry)",
                    ]
                )
            }
            writeError = error
            // Their messages are appended and stay queued: the retry writes them. Say so, so that the
            // sender learns they may still be stored (not acknowledged, but not dropped either).
            var queued = error
            queued.message += "; the message is kept and will be written when the write succeeds"
            for waiter in durabilityWaiters { waiter.continuation.resume(returning: .failure(queued)) }
            durabilityWaiters.removeAll()
            resumeSpaceWaiters()
            if state != .open || cancelled { return .giveUp }
            return .retry(afterMilliseconds: configuration.flush.retryDelay.storageMilliseconds)
        }
    }

    /// After a sync: what is still unsynced is what the memory blocks hold.
    private func resetUnsyncedTracking() {
        unsyncedBytes = sealed.reduce(active.dataCount) { $0 + $1.dataCount }
        if durableEntry >= nextEntry {
            oldestUnsyncedTime = nil
        } else {
            oldestUnsyncedTime =
                sealed.first?.firstAppendTime
                ?? (active.isEmpty ? environment.clock.now() : active.firstAppendTime)
            armTimer()
        }
    }

    /// Keeps a flushed block readable (``recent``) while traffic continues, handing the oldest
    /// recent block on for reuse once there are more than ``recentBlockLimit`` of them or they hold
    /// more than `memoryBlockBytes` of records (the newest is kept whatever its size); frees buffers
    /// once idle.
    private func recycle(_ block: MemoryBlock) {
        if active.isEmpty && sealed.isEmpty {
            active.releaseBuffers()
            spare = nil
            recent.removeAll()
            return
        }
        recent.append(block)
        var bytes = recent.reduce(0) { $0 + $1.dataCount }
        while recent.count > Self.recentBlockLimit || (recent.count > 1 && bytes > configuration.memoryBlockBytes) {
            let evicted = recent.removeFirst()
            bytes -= evicted.dataCount
            if spare == nil { spare = evicted }
        }
    }

    /// At most this many written blocks stay readable in ``recent``.
    static let recentBlockLimit = 4

    /// Wakes the flusher if it is waiting.
    func signalFlusher() {
        flusherWaiter?.resume()
        flusherWaiter = nil
    }

    /// Suspends until every entry below `entry` is durable.
    func waitUntilDurable(_ entry: Int64) async throws(StorageError) {
        guard durableEntry < entry else { return }
        let result = await withCheckedContinuation { continuation in
            durabilityWaiters.append(DurabilityWaiter(entry: entry, continuation: continuation))
        }
        try result.get()
    }

    private func resumeDurabilityWaiters() {
        guard !durabilityWaiters.isEmpty else { return }
        var remaining: [DurabilityWaiter] = []
        for waiter in durabilityWaiters {
            if waiter.entry <= durableEntry {
                waiter.continuation.resume(returning: .success(()))
            } else {
                remaining.append(waiter)
            }
        }
        durabilityWaiters = remaining
    }

    func resumeSpaceWaiters() {
        let waiters = spaceWaiters
        spaceWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    /// Starts the flush-interval timer for the oldest unsynced message if none is running.
    func armTimer() {
        guard timer == nil, let oldest = oldestUnsyncedTime, state == .open else { return }
        let deadline = oldest + configuration.flush.interval.storageMilliseconds
        let delay = max(0, deadline - environment.clock.now())
        let clock = environment.clock
        timer = Task { [weak self] in
            do {
                try await clock.sleep(milliseconds: delay)
            } catch {
                return
            }
            await self?.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        guard state == .open, let oldest = oldestUnsyncedTime else { return }
        if environment.clock.now() >= oldest + configuration.flush.interval.storageMilliseconds {
            requestSync()
        } else {
            armTimer()
        }
    }
}
