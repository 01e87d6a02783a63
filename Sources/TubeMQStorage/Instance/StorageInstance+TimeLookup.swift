extension StorageInstance {
    /// The offset of the first message appended at or after `time` (ms since the epoch), for
    /// "reset offset by time". Append times never decrease, so the search is a binary search.
    ///
    /// - Returns: the minimum offset when `time` precedes everything retained, the maximum when it
    ///   follows everything.
    /// - Throws: ``StorageError/Code/readFailed``, ``StorageError/Code/closed``.
    public func offset(atOrAfterTime time: Int64) async throws(StorageError) -> Int64 {
        try ensureOpen()
        for segment in segments where segment.writtenEntries > 0 && segment.writtenEnd > minEntry {
            guard segment.lastAppendTime >= time else { continue }
            if let first = segment.firstAppendTime, first >= time {
                return StorageOffset.offset(ofEntry: max(segment.base, minEntry))
            }
            let path = segment.indexPath(in: directory)
            let count = segment.writtenEntries
            let ordinal = try await environment.pool.run { () throws(StorageError) in
                try Self.searchIndex(path: path, count: count, time: time)
            }
            return StorageOffset.offset(ofEntry: max(segment.base + ordinal, minEntry))
        }
        for block in [inFlight].compactMap({ $0 }) + sealed + [active] where !block.isEmpty {
            if block.lastAppendTime >= time {
                return StorageOffset.offset(ofEntry: max(block.entry(atOrAfterTime: time), writtenEntry))
            }
        }
        return StorageOffset.offset(ofEntry: nextEntry)
    }

    /// Binary search of an index file for the first entry with append time ≥ `time`.
    private static func searchIndex(path: String, count: Int64, time: Int64) throws(StorageError) -> Int64 {
        let fd = try FileIO.openForReading(path)
        defer { FileIO.close(fd) }
        let entry = UnsafeMutableRawBufferPointer.allocate(byteCount: IndexEntry.size, alignment: 8)
        defer { entry.deallocate() }
        var low: Int64 = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            let got = try FileIO.read(fd, into: entry, at: mid * Int64(IndexEntry.size), path: path)
            guard got == IndexEntry.size, let base = entry.baseAddress else {
                throw StorageError(code: .readFailed, message: "index \(path) is shorter than expected")
            }
            if IndexEntry.appendTime(at: base) < time { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
