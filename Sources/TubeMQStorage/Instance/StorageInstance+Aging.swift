extension StorageInstance {
    /// Deletes whole segments that the retention policy no longer keeps: those whose newest
    /// message is older than `maxAge`, then the oldest while the instance exceeds `maxBytes`.
    ///
    /// Only the oldest segments go, in order, and never the newest one (it receives appends) nor
    /// one with data still in memory. Readers at offsets below the new minimum then get
    /// ``StorageError/Code/offsetBelowMinimum``; a read already in progress keeps its open files.
    ///
    /// - Returns: the number of segments deleted.
    /// - Throws: ``StorageError/Code/fileSystem`` when a file cannot be removed (the segment is
    ///   already gone from the instance's view), ``StorageError/Code/closed``.
    @discardableResult
    public func enforceRetention() async throws(StorageError) -> Int {
        try ensureOpen()
        let retention = configuration.retention
        let now = environment.clock.now()
        var totalBytes = segments.reduce(0) { $0 + $1.diskBytes }
        var count = 0
        while count + 1 < segments.count {
            let candidate = segments[count]
            guard candidate.isFullyDurable, candidate.durableEnd <= durableEntry else { break }
            let expired = retention.maxAge.map { now - candidate.lastAppendTime > $0.storageMilliseconds } ?? false
            let oversized = retention.maxBytes.map { totalBytes > $0 } ?? false
            guard expired || oversized else { break }
            totalBytes -= candidate.diskBytes
            count += 1
        }
        guard count > 0 else { return 0 }
        let victims = Array(segments[0..<count])
        segments.removeFirst(count)
        minEntry = segments.first?.base ?? nextEntry
        logger.info(
            "deleted aged segments",
            metadata: ["tubemq.segments": "\(count)", "tubemq.minOffset": "\(offsetRange.min)"]
        )
        let directory = self.directory
        try await environment.pool.run { () throws(StorageError) in
            for victim in victims {
                try FileIO.remove(victim.indexPath(in: directory))
                try FileIO.remove(victim.dataPath(in: directory))
            }
            try FileIO.syncDirectory(directory)
        }
        return count
    }

    /// Applies a size cap (``RetentionPolicy/maxBytes``) right after a segment is complete, rather
    /// than at the next periodic sweep, so a capped instance holds about its cap plus a segment or
    /// two however fast it is written. The flusher calls it; a failure is logged.
    func enforceSizeCapAfterRoll() async {
        guard configuration.retention.maxBytes != nil, state == .open else { return }
        do throws(StorageError) {
            try await enforceRetention()
        } catch {
            logger.error("deleting segments over the size cap failed", metadata: ["tubemq.error": "\(error)"])
        }
    }

    /// Bytes of segment files (data and index) on disk.
    public var diskBytes: Int64 { segments.reduce(0) { $0 + $1.diskBytes } }

    /// The number of segments, including the newest one.
    public var segmentCount: Int { segments.count }
}
