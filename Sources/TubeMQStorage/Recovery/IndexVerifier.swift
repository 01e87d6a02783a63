/// Checks an older segment's index on its own, without reading the data file.
enum IndexVerifier {
    /// The segment, when every index entry is intact and consistent: valid CRC, the first record
    /// at position 0, each next one where the previous ends, the last ending at the data file's
    /// size, partition ids that `holds` accepts (or tombstones), append times that never go back.
    /// `nil` when anything disagrees and the segment needs a full scan. Blocks the thread.
    static func sealedSegment(
        base: Int64,
        directory: String,
        holds: (Int32) -> Bool
    ) throws(StorageError) -> SegmentInfo? {
        let dataPath = directory + "/" + SegmentName.data(base)
        let indexPath = directory + "/" + SegmentName.index(base)
        guard let dataSize = try FileIO.size(ofPath: dataPath), let indexSize = try FileIO.size(ofPath: indexPath),
            indexSize % Int64(IndexEntry.size) == 0
        else { return nil }
        let entries = indexSize / Int64(IndexEntry.size)
        if entries == 0 {
            return dataSize == 0 ? .recovered(base: base, entries: 0, bytes: 0, firstTime: nil, lastTime: 0) : nil
        }
        let fd = try FileIO.openForReading(indexPath)
        defer { FileIO.close(fd) }
        let window = ScanWindow(fd: fd, path: indexPath, fileSize: indexSize)
        var expectedPosition: Int64 = 0
        var firstTime: Int64?
        var lastTime: Int64 = 0
        for ordinal in 0..<entries {
            guard let raw = try window.bytes(at: ordinal * Int64(IndexEntry.size), count: IndexEntry.size),
                let address = raw.baseAddress, let entry = IndexEntry.read(from: address),
                entry.position == expectedPosition || (entry.isTombstone && entry.recordLength == 0),
                entry.appendTime >= lastTime
            else { return nil }
            if entry.isTombstone {
                expectedPosition = max(expectedPosition, entry.position + Int64(entry.recordLength))
                continue
            }
            guard holds(entry.partitionID), entry.recordLength >= RecordLayout.headerSize else { return nil }
            if firstTime == nil { firstTime = entry.appendTime }
            lastTime = entry.appendTime
            expectedPosition = entry.position + Int64(entry.recordLength)
        }
        guard expectedPosition == dataSize else { return nil }
        return .recovered(base: base, entries: entries, bytes: dataSize, firstTime: firstTime, lastTime: lastTime)
    }
}
