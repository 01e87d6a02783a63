extension StorageInstance {
    /// Appends a batch of messages, in order, as consecutive entries.
    ///
    /// The batch costs one actor hop whatever its size. Under ``FlushPolicy/Acknowledgement/memory``
    /// the call returns once the messages are in the memory block; under
    /// ``FlushPolicy/Acknowledgement/disk`` once they are written and synced (concurrent batches
    /// share a sync). The call waits, without blocking the actor, while the memory blocks are full.
    ///
    /// - Throws: ``StorageError`` — ``StorageError/Code/unknownPartition`` or
    ///   ``StorageError/Code/messageTooLarge`` (nothing appended); ``StorageError/Code/writeFailed``
    ///   or ``StorageError/Code/noSpace`` (with the `errno`) when the instance is not writable —
    ///   from the first failed write until a background retry succeeds, nothing is appended and
    ///   nothing acknowledged — or, under the disk policy, when this batch's own write failed (it
    ///   stays queued and is written by the retry, but is not acknowledged); ``StorageError/Code/closed``.
    public func append(_ batch: [AppendMessage]) async throws(StorageError) -> AppendResult {
        guard !batch.isEmpty else { throw StorageError(code: .invalidArgument, message: "empty batch") }
        try ensureAcceptingAppends()
        for message in batch {
            guard holds(partitionID: message.partitionID) else {
                throw StorageError(
                    code: .unknownPartition,
                    message: "partition \(message.partitionID) is not in store \(storeIndex) of \(topic)"
                )
            }
            guard message.payload.readableBytes <= configuration.maxMessageBytes else {
                throw StorageError(
                    code: .messageTooLarge,
                    message:
                        "payload of \(message.payload.readableBytes) bytes exceeds \(configuration.maxMessageBytes)"
                )
            }
        }
        while memoryIsFull {
            await withCheckedContinuation { spaceWaiters.append($0) }
            try ensureAcceptingAppends()
        }
        let appendTime = max(environment.clock.now(), lastAppendTime)
        lastAppendTime = appendTime
        let firstEntry = nextEntry
        if oldestUnsyncedTime == nil { oldestUnsyncedTime = appendTime }
        for message in batch {
            let length = RecordLayout.headerSize + message.payload.readableBytes
            if let tail = segments.last, tail.appendedEntries > 0,
                tail.appendedBytes + Int64(length) > configuration.segmentBytes
            {
                rollSegment()
            } else if segments.isEmpty {
                segments.append(SegmentInfo(base: nextEntry))
                resetActive()
            }
            guard active.reserve(bytes: length, entries: 1) else {
                throw StorageError(code: .writeFailed, message: "out of memory for a \(length)-byte record")
            }
            active.append(message, appendTime: appendTime)
            unsyncedBytes += length
            segments[segments.count - 1].appendedEntries += 1
            segments[segments.count - 1].appendedBytes += Int64(length)
            nextEntry += 1
        }
        noteAppended()
        if configuration.flush.acknowledgement == .disk {
            try await waitUntilDurable(nextEntry)
        }
        return AppendResult(
            firstOffset: StorageOffset.offset(ofEntry: firstEntry),
            count: batch.count,
            appendTime: appendTime
        )
    }

    /// Writes everything appended so far to disk and waits until it is synced.
    ///
    /// - Throws: ``StorageError/Code/writeFailed`` or ``StorageError/Code/noSpace`` when the flush
    ///   fails or the instance is not writable (see ``isWritable``), ``StorageError/Code/closed``.
    public func flush() async throws(StorageError) {
        try ensureOpen()
        // While not writable, waiting would last until the background retry succeeds: fail now.
        if let writeError { throw writeError }
        guard durableEntry < nextEntry else { return }
        requestSync()
        try await waitUntilDurable(nextEntry)
    }

    func ensureAcceptingAppends() throws(StorageError) {
        try ensureOpen()
        if let writeError { throw writeError }
    }

    /// Whether appends must wait for the flusher: a block is being written and another is queued.
    var memoryIsFull: Bool {
        let queued = sealed.count + (inFlight == nil ? 0 : 1)
        return queued >= 2 || (queued >= 1 && active.dataCount >= configuration.memoryBlockBytes)
    }

    /// Seals the active block and starts a new segment at `nextEntry`.
    private func rollSegment() {
        sealActive()
        segments.append(SegmentInfo(base: nextEntry))
        resetActive()
    }

    /// Points the (empty) active block at the end of the newest segment.
    func resetActive() {
        guard let tail = segments.last else { return }
        active.reset(segmentBase: tail.base, firstEntry: nextEntry, dataStart: tail.appendedBytes)
    }

    /// Queues the active block for the flusher and takes a fresh one.
    func sealActive() {
        guard !active.isEmpty else { return }
        sealed.append(active)
        active = spare ?? MemoryBlock()
        spare = nil
        resetActive()
        signalFlusher()
    }

    /// Applies the flush triggers after an append: a full block is written (unsynced); the
    /// message and byte thresholds, counted since the last sync, ask for a sync.
    private func noteAppended() {
        let policy = configuration.flush
        if active.dataCount >= configuration.memoryBlockBytes {
            sealActive()
        }
        if policy.acknowledgement == .disk
            || (policy.messageThreshold > 0 && nextEntry - durableEntry >= Int64(policy.messageThreshold))
            || (policy.byteThreshold > 0 && unsyncedBytes >= policy.byteThreshold)
        {
            requestSync()
        } else {
            armTimer()
        }
    }

    /// Asks the flusher to write everything appended and sync it.
    func requestSync() {
        syncRequested = true
        signalFlusher()
    }
}
