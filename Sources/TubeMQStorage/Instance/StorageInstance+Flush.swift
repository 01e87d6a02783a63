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
        /// The write failed: wait this long, then ask again (the same block is retried).
        case retry(afterMilliseconds: Int64)
        /// The write failed while closing: stop.
        case giveUp
    }

    /// The next flush job; when `idle` is true and there is nothing to do, suspends until there is.
    func nextFlushWork(idle: Bool) async -> FlushWork {
        while true {
            if let inFlight { return .write(job(for: inFlight)) }
            if sealed.isEmpty, !active.isEmpty, activeDue || state != .open {
                sealActive()
            }
            if !sealed.isEmpty {
                let block = sealed.removeFirst()
                inFlight = block
                return .write(job(for: block))
            }
            if state != .open { return .exit }
            if !idle { return .idle }
            await withCheckedContinuation { flusherWaiter = $0 }
        }
    }

    /// Records the result of writing `block`.
    func finishFlush(_ block: MemoryBlock, result: Result<Void, StorageError>, cancelled: Bool) -> FlushOutcome {
        guard block === inFlight else { return .proceed }
        switch result {
        case .success:
            inFlight = nil
            writeError = nil
            durableEntry = block.endEntry
            if let position = segments.lastIndex(where: { $0.base == block.segmentBase }) {
                segments[position].durableEntries += Int64(block.entryCount)
                segments[position].durableBytes = block.dataEnd
                if segments[position].firstAppendTime == nil { segments[position].firstAppendTime = block.firstAppendTime }
                segments[position].lastAppendTime = block.lastAppendTime
            }
            resumeDurabilityWaiters()
            recycle(block)
            resumeSpaceWaiters()
            return .proceed
        case .failure(let error):
            if writeError == nil {
                logger.error(
                    "flush failed; appends are refused until a retry succeeds",
                    metadata: ["tubemq.error": "\(error)"]
                )
            }
            writeError = error
            for waiter in durabilityWaiters { waiter.continuation.resume(returning: .failure(error)) }
            durabilityWaiters.removeAll()
            resumeSpaceWaiters()
            if state != .open || cancelled { return .giveUp }
            return .retry(afterMilliseconds: configuration.flush.retryDelay.storageMilliseconds)
        }
    }

    private func job(for block: MemoryBlock) -> FlushJob {
        var previous: Int64?
        if block.dataStart == 0, let position = segments.lastIndex(where: { $0.base == block.segmentBase }), position > 0 {
            previous = segments[position - 1].base
        }
        return FlushJob(block: block, directory: directory, previousSegmentBase: previous)
    }

    /// Keeps a flushed block for reuse while traffic continues; frees buffers once idle.
    private func recycle(_ block: MemoryBlock) {
        if active.isEmpty && sealed.isEmpty {
            active.releaseBuffers()
            spare = nil
        } else if spare == nil {
            spare = block
        }
    }

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

    /// Starts the flush-interval timer for the active block if none is running.
    func armTimer() {
        guard timer == nil, !active.isEmpty, state == .open else { return }
        let deadline = active.firstAppendTime + configuration.flush.interval.storageMilliseconds
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
        guard state == .open, !active.isEmpty else { return }
        let deadline = active.firstAppendTime + configuration.flush.interval.storageMilliseconds
        if environment.clock.now() >= deadline {
            activeDue = true
            signalFlusher()
        } else {
            armTimer()
        }
    }
}
