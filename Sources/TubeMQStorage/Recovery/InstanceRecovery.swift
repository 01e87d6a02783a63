/// Opens an instance directory: finds its segments, checks them, and repairs the newest one.
///
/// Older segments were complete and synced before the next one was created, so only their last
/// index entry is checked against the data file (a mismatch triggers a full scan of that segment).
/// The newest segment is scanned from the clean-close checkpoint, or from its start when the
/// checkpoint is missing or names another segment.
enum InstanceRecovery {
    /// The recovered segments and what recovery did.
    struct Outcome: Sendable {
        var segments: [SegmentInfo]
        /// The entry number the next append gets.
        var nextEntry: Int64
        var truncatedBytes: Int64 = 0
        var rebuiltEntries: Int64 = 0
        var droppedEntries: Int64 = 0
        var scannedSegments = 0
        /// The checkpoint found on disk, if valid.
        var checkpoint: Checkpoint?
    }

    static func recover(directory: String) throws(StorageError) -> Outcome {
        try FileIO.makeDirectories(directory)
        try FileIO.remove(directory + "/" + SegmentName.checkpointTemporary)
        var bases = Set<Int64>()
        for name in try FileIO.list(directory) {
            if let base = SegmentName.base(of: name, suffix: SegmentName.dataSuffix)
                ?? SegmentName.base(of: name, suffix: SegmentName.indexSuffix)
            {
                bases.insert(base)
            }
        }
        let sorted = bases.sorted()
        let checkpoint = Checkpoint.load(directory: directory)
        guard let newest = sorted.last else {
            let next = checkpoint.map { $0.segmentBase + $0.entries } ?? 0
            return Outcome(segments: [], nextEntry: next, checkpoint: checkpoint)
        }
        var outcome = Outcome(segments: [], nextEntry: 0, checkpoint: checkpoint)
        for base in sorted {
            let result: SegmentScanner.Outcome
            if base == newest {
                let trusted = checkpoint.flatMap { $0.segmentBase == base ? ($0.entries, $0.bytes) : nil } ?? (0, 0)
                result = try SegmentScanner.scan(base: base, directory: directory, trusted: trusted)
                outcome.scannedSegments += 1
            } else if let sealed = try sealedSegment(base: base, directory: directory) {
                outcome.segments.append(sealed)
                continue
            } else {
                result = try SegmentScanner.scan(base: base, directory: directory, trusted: (0, 0))
                outcome.scannedSegments += 1
            }
            outcome.segments.append(result.segment)
            outcome.truncatedBytes += result.truncatedBytes
            outcome.rebuiltEntries += result.rebuiltEntries
            outcome.droppedEntries += result.droppedEntries
        }
        outcome.nextEntry = outcome.segments.last.map { $0.writtenEnd } ?? 0
        return outcome
    }

    /// An older segment whose last index entry ends exactly at the end of its data file; `nil`
    /// when it needs a scan.
    private static func sealedSegment(base: Int64, directory: String) throws(StorageError) -> SegmentInfo? {
        let dataPath = directory + "/" + SegmentName.data(base)
        let indexPath = directory + "/" + SegmentName.index(base)
        guard let dataSize = try FileIO.size(ofPath: dataPath), let indexSize = try FileIO.size(ofPath: indexPath),
            indexSize % Int64(IndexEntry.size) == 0
        else { return nil }
        let entries = indexSize / Int64(IndexEntry.size)
        if entries == 0 { return dataSize == 0 ? .recovered(base: base, entries: 0, bytes: 0, firstTime: nil, lastTime: 0) : nil }
        let fd = try FileIO.openForReading(indexPath)
        defer { FileIO.close(fd) }
        let window = ScanWindow(fd: fd, path: indexPath, fileSize: indexSize)
        guard let first = try window.bytes(at: 0, count: IndexEntry.size)?.baseAddress.flatMap(IndexEntry.read(from:)),
            let last = try window.bytes(at: indexSize - Int64(IndexEntry.size), count: IndexEntry.size)?
                .baseAddress.flatMap(IndexEntry.read(from:)),
            last.position + Int64(last.recordLength) == dataSize
        else { return nil }
        return .recovered(base: base, entries: entries, bytes: dataSize, firstTime: first.appendTime, lastTime: last.appendTime)
    }
}
