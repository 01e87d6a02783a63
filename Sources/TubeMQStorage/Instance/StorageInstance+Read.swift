extension StorageInstance {
    /// Reads messages of one partition from an offset.
    ///
    /// Data still in memory blocks (including the few written last, kept while traffic continues)
    /// is served from memory; older data is read from the segment files on the I/O threads.
    /// Records that fail their integrity checks are skipped (and logged), never returned.
    /// `nextOffset` advances past every entry examined, matching or not.
    ///
    /// - Throws: ``StorageError`` — ``StorageError/Code/offsetBelowMinimum`` when aging removed the
    ///   offset, ``StorageError/Code/offsetAboveMaximum`` past the end (both carry the range),
    ///   ``StorageError/Code/unknownPartition``, ``StorageError/Code/invalidArgument``,
    ///   ``StorageError/Code/readFailed``, ``StorageError/Code/closed``.
    public func read(_ request: ReadRequest) async throws(StorageError) -> ReadResult {
        try ensureOpen()
        guard holds(partitionID: request.partitionID) else {
            throw StorageError(
                code: .unknownPartition,
                message: "partition \(request.partitionID) is not in store \(storeIndex) of \(topic)"
            )
        }
        guard request.maxCount > 0, request.maxBytes >= 0, request.maxScanEntries > 0, request.offset >= 0 else {
            throw StorageError(code: .invalidArgument, message: "read limits must be positive")
        }
        var entry = StorageOffset.entry(atOffset: request.offset)
        try checkBounds(entry)
        var collector = ReadCollector(
            limits: ReadLimits(
                partitionID: request.partitionID,
                typeHashes: request.typeHashes,
                remainingCount: request.maxCount,
                remainingBytes: request.maxBytes,
                remainingScan: request.maxScanEntries,
                hasMessages: false
            )
        )
        // A store that acknowledges from disk serves only what is synced: an append refused to its
        // producer (a failed write) is never handed to a consumer, nor one a crash could still take.
        let readableEnd = configuration.flush.acknowledgement == .disk ? durableEntry : nextEntry
        while entry < readableEnd && !collector.limits.isExhausted {
            if entry < minEntry {
                // Aging removed the rest while we were reading: return what we have.
                if collector.messages.isEmpty { try checkBounds(entry) }
                break
            }
            if let block = memoryBlock(containing: entry) {
                entry = readFromMemory(block, from: entry, until: readableEnd, into: &collector)
            } else if entry < writtenEntry {
                do throws(StorageError) {
                    entry = try await readFromDisk(entry, into: &collector)
                } catch {
                    // Aging may have deleted the segment between planning and opening it.
                    guard entry < minEntry else { throw error }
                    if collector.messages.isEmpty { try checkBounds(entry) }
                    break
                }
                try ensureOpen()
            } else {
                // Past the written entries every entry is in a memory block; none here means none left.
                entry = readableEnd
            }
        }
        return ReadResult(
            messages: collector.finish(),
            nextOffset: StorageOffset.offset(ofEntry: entry),
            range: offsetRange
        )
    }

    private func checkBounds(_ entry: Int64) throws(StorageError) {
        if entry < minEntry {
            throw StorageError(
                code: .offsetBelowMinimum,
                message:
                    "offset \(StorageOffset.offset(ofEntry: entry)) is below the minimum \(offsetRange.min) of \(topic)#\(storeIndex)",
                offsets: offsetRange
            )
        }
        if entry > nextEntry {
            throw StorageError(
                code: .offsetAboveMaximum,
                message:
                    "offset \(StorageOffset.offset(ofEntry: entry)) is above the maximum \(offsetRange.max) of \(topic)#\(storeIndex)",
                offsets: offsetRange
            )
        }
    }

    /// Reads entries from `entry` within one segment on the I/O threads; returns where to continue.
    private func readFromDisk(_ entry: Int64, into collector: inout ReadCollector) async throws(StorageError) -> Int64 {
        guard let position = segmentPosition(containing: entry) else {
            // A gap between segments (damage): continue at the next segment.
            return segments.first(where: { $0.base > entry })?.base ?? writtenEntry
        }
        let segment = segments[position]
        guard entry < segment.writtenEnd else {
            return position + 1 < segments.count ? max(segments[position + 1].base, entry + 1) : writtenEntry
        }
        let end = min(segment.writtenEnd, writtenEntry)
        let plan = DiskReader.Plan(
            dataPath: segment.dataPath(in: directory),
            indexPath: segment.indexPath(in: directory),
            base: segment.base,
            from: entry,
            to: end,
            writtenBytes: segment.writtenBytes
        )
        let limits = collector.limits
        let chunk = try await environment.pool.run { () throws(StorageError) in
            try DiskReader.read(plan, limits: limits)
        }
        if chunk.corruptRecords > 0 {
            logger.error(
                "skipped damaged records while reading",
                metadata: [
                    "tubemq.count": "\(chunk.corruptRecords)", "tubemq.segment": "\(SegmentName.data(segment.base))",
                ]
            )
            for damage in chunk.damaged {
                logger.error(
                    "skipped a damaged record while reading",
                    metadata: [
                        "tubemq.segment": "\(SegmentName.data(segment.base))", "tubemq.entry": "\(damage.entry)",
                        "tubemq.offset": "\(StorageOffset.offset(ofEntry: damage.entry))",
                        "tubemq.position": "\(damage.position.map { "\($0)" } ?? "unknown")",
                        "tubemq.bytes": "\(damage.length.map { "\($0)" } ?? "unknown")",
                        "tubemq.reason": "\(damage.reason)",
                    ]
                )
            }
        }
        collector.append(contentsOf: chunk)
        return chunk.nextEntry
    }

    /// Serves entries from `block`, from `entry` to the end of the block; returns where to continue.
    ///
    /// The block's own records are trusted (this process wrote them; no disk stands between), so
    /// their CRCs are not verified again, and entries of the store's other partitions are skipped by
    /// their partition id alone. The matches are gathered first and copied out in one go, into a
    /// buffer of exactly their size.
    private func readFromMemory(
        _ block: MemoryBlock,
        from entry: Int64,
        until end: Int64,
        into collector: inout ReadCollector
    ) -> Int64 {
        var current = entry
        var matches: [ReadCollector.MemoryRecord] = []
        var matchedBytes = 0
        let stop = min(block.endEntry, end)
        while current < stop && !collector.limits.isExhausted {
            if block.partitionID(ofEntry: current) == collector.limits.partitionID,
                let index = block.indexEntry(current),
                collector.limits.matches(partitionID: index.partitionID, typeHash: index.typeHash),
                let record = block.record(for: index)
            {
                guard collector.limits.admits(payloadLength: record.payload.count) else {
                    collector.limits.markFull()
                    break
                }
                matches.append(
                    ReadCollector.MemoryRecord(
                        offset: StorageOffset.offset(ofEntry: current),
                        header: record.header,
                        payload: record.payload
                    )
                )
                matchedBytes += record.payload.count
                collector.limits.take(payloadLength: record.payload.count)
            }
            collector.limits.remainingScan -= 1
            current += 1
        }
        collector.appendFromMemory(matches, totalBytes: matchedBytes)
        return current
    }

    /// The position in `segments` of the segment holding `entry`.
    func segmentPosition(containing entry: Int64) -> Int? {
        var low = 0
        var high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if segments[mid].base <= entry { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// The memory block (recently written, in flight, sealed or active) holding `entry`.
    func memoryBlock(containing entry: Int64) -> MemoryBlock? {
        if entry < writtenEntry { return recentBlock(containing: entry) }
        if let inFlight, entry >= inFlight.firstEntry, entry < inFlight.endEntry { return inFlight }
        for block in sealed where entry >= block.firstEntry && entry < block.endEntry { return block }
        if entry >= active.firstEntry, entry < active.endEntry { return active }
        return nil
    }

    /// The recently written block still holding `entry` in memory, if any.
    func recentBlock(containing entry: Int64) -> MemoryBlock? {
        guard let first = recent.first, entry >= first.firstEntry else { return nil }
        return recent.last(where: { entry >= $0.firstEntry && entry < $0.endEntry })
    }
}
