import Logging

/// Verifies one segment against its data file and repairs it in place, discarding only what is
/// provably damaged.
///
/// Every record is checked from the start of the data file: header CRC and magic, the expected
/// entry number, that it fits in the file, and its payload checksum. Then:
///
/// - a **damaged record** with a valid record after it is *skipped*: its bytes stay in the data
///   file, its entries get tombstone index entries (see ``IndexEntry/tombstonePartitionID``) so
///   that every later entry keeps its number and offset, and the skipped byte range is logged as
///   an error with its position and length (see ``RecordResync`` for how the next record is found);
/// - a **torn tail** — bytes after the last valid record from which no valid record can be
///   found, such as an incomplete last record — is truncated and logged as an error;
/// - every **index entry** is compared with the one the record implies; entries that differ are
///   rewritten (logged as an error), missing ones appended, and entries past the data dropped.
///
/// The clean-close checkpoint does not shorten the scan: it only cross-checks it, and damage
/// inside the range it vouched for is reported as such.
enum SegmentScanner {
    /// What the scan found and changed.
    struct Outcome {
        var segment: SegmentInfo
        /// Bytes of torn tail truncated from the data file.
        var truncatedBytes: Int64 = 0
        /// Bytes of damaged records newly found and skipped in place (ranges an earlier recovery
        /// already tombstoned are skipped again but not counted).
        var skippedBytes: Int64 = 0
        /// Entries whose records were damaged (now tombstones).
        var skippedEntries: Int64 = 0
        /// Index entries that existed but disagreed with the data, rewritten.
        var rebuiltEntries: Int64 = 0
        /// Index entries that were missing, appended from the data.
        var restoredEntries: Int64 = 0
        /// Index entries past the last record, removed.
        var droppedEntries: Int64 = 0

        /// Whether the scan discarded or skipped anything.
        var lostData: Bool { truncatedBytes > 0 || skippedBytes > 0 || skippedEntries > 0 }
    }

    /// Scans and repairs segment `base` of `directory`; `checkpoint` (when it names this segment)
    /// is the state vouched for at the last clean close. Blocks the thread.
    static func scan(
        base: Int64,
        directory: String,
        checkpoint: Checkpoint?,
        logger: Logger
    ) throws(StorageError) -> Outcome {
        let dataPath = directory + "/" + SegmentName.data(base)
        let indexPath = directory + "/" + SegmentName.index(base)
        let dataFD = try FileIO.openForWriting(dataPath)
        defer { FileIO.close(dataFD) }
        let indexFD = try FileIO.openForWriting(indexPath)
        defer { FileIO.close(indexFD) }
        let dataSize = try FileIO.size(dataFD, path: dataPath)
        let indexSize = try FileIO.size(indexFD, path: indexPath)
        let indexEntries = indexSize / Int64(IndexEntry.size)
        var segmentLogger = logger
        segmentLogger[metadataKey: "tubemq.segment"] = "\(SegmentName.data(base))"

        let data = ScanWindow(fd: dataFD, path: dataPath, fileSize: dataSize)
        let index = ScanWindow(fd: indexFD, path: indexPath, fileSize: indexSize)
        let resync = RecordResync(data: data, dataSize: dataSize, base: base)
        var writer = IndexRewriter(fd: indexFD, path: indexPath)
        var outcome = Outcome(segment: SegmentInfo(base: base))
        var ordinal: Int64 = 0
        var position: Int64 = 0
        var firstTime: Int64?
        var lastTime: Int64 = 0
        var firstMismatch: Int64?

        func onDiskEntry(_ ordinal: Int64) throws(StorageError) -> IndexEntry? {
            try index.bytes(at: ordinal * Int64(IndexEntry.size), count: IndexEntry.size)
                .flatMap { $0.baseAddress }.flatMap { IndexEntry.read(from: $0) }
        }

        func put(_ expected: IndexEntry) throws(StorageError) {
            if ordinal < indexEntries {
                if try onDiskEntry(ordinal) != expected {
                    outcome.rebuiltEntries += 1
                    if firstMismatch == nil { firstMismatch = base + ordinal }
                    try writer.write(expected, at: ordinal)
                }
            } else {
                outcome.restoredEntries += 1
                try writer.write(expected, at: ordinal)
            }
            ordinal += 1
        }

        while position < dataSize {
            let expectedEntry = base + ordinal
            if let header = try resync.validRecord(at: position, entry: expectedEntry) {
                try put(
                    IndexEntry(
                        partitionID: header.partitionID,
                        typeHash: header.typeHash,
                        position: position,
                        appendTime: header.appendTime,
                        recordLength: header.recordLength
                    )
                )
                if firstTime == nil { firstTime = header.appendTime }
                lastTime = header.appendTime
                position += Int64(header.recordLength)
                continue
            }
            let hint = ordinal < indexEntries ? try onDiskEntry(ordinal) : nil
            guard let next = try resync.nextRecord(after: position, entry: expectedEntry, indexHint: hint) else {
                break  // nothing valid follows: a torn tail
            }
            let skipped = next.position - position
            let lost = next.entry - expectedEntry
            // A range an earlier recovery already found (its tombstone is in place) is not news.
            let known =
                hint.map {
                    $0.isTombstone && $0.position == position
                        && Int64($0.recordLength) == min(skipped, Int64(UInt32.max))
                } ?? false
            segmentLogger.log(
                level: known ? .notice : .error,
                known
                    ? "skipped a damaged record range found by an earlier recovery"
                    : "skipped a damaged record range; the records after it are kept",
                metadata: [
                    "tubemq.position": "\(position)", "tubemq.bytes": "\(skipped)",
                    "tubemq.firstEntry": "\(expectedEntry)", "tubemq.entries": "\(lost)",
                    "tubemq.firstOffset": "\(StorageOffset.offset(ofEntry: expectedEntry))",
                    "tubemq.checkpointed": "\(checkpoint.map { ordinal < $0.entries } ?? false)",
                ]
            )
            if !known {
                outcome.skippedBytes += skipped
                outcome.skippedEntries += lost
            }
            for k in 0..<lost {
                try put(
                    IndexEntry.tombstone(
                        position: k == 0 ? position : next.position,
                        length: k == 0 ? skipped : 0,
                        appendTime: lastTime
                    )
                )
            }
            position = next.position
        }
        try writer.finish()

        if dataSize > position {
            outcome.truncatedBytes = dataSize - position
            segmentLogger.error(
                "truncated a torn tail: no valid record follows this position",
                metadata: [
                    "tubemq.position": "\(position)", "tubemq.bytes": "\(dataSize - position)",
                    "tubemq.nextEntry": "\(base + ordinal)",
                    "tubemq.checkpointed": "\(checkpoint.map { position < $0.bytes } ?? false)",
                ]
            )
            try FileIO.truncate(dataFD, to: position, path: dataPath)
        }
        if indexEntries > ordinal {
            outcome.droppedEntries = indexEntries - ordinal
        }
        if indexSize != ordinal * Int64(IndexEntry.size) {
            // A shorter index was completed from the data (logged below as restored entries).
            if indexSize > ordinal * Int64(IndexEntry.size) {
                segmentLogger.error(
                    "dropped index entries past the last record",
                    metadata: [
                        "tubemq.entries": "\(max(0, indexEntries - ordinal))",
                        "tubemq.bytes": "\(indexSize - ordinal * Int64(IndexEntry.size))",
                    ]
                )
            }
            try FileIO.truncate(indexFD, to: ordinal * Int64(IndexEntry.size), path: indexPath)
        }
        if outcome.rebuiltEntries > 0 {
            segmentLogger.error(
                "rebuilt index entries that disagreed with the data",
                metadata: [
                    "tubemq.entries": "\(outcome.rebuiltEntries)", "tubemq.firstEntry": "\(firstMismatch ?? -1)",
                ]
            )
        }
        if outcome.restoredEntries > 0 {
            segmentLogger.warning(
                "restored missing index entries from the data",
                metadata: [
                    "tubemq.entries": "\(outcome.restoredEntries)", "tubemq.firstEntry": "\(base + indexEntries)",
                ]
            )
        }
        if let checkpoint, checkpoint.segmentBase == base, checkpoint.entries > ordinal {
            segmentLogger.error(
                "the segment holds fewer entries than its clean-close checkpoint recorded",
                metadata: ["tubemq.checkpointEntries": "\(checkpoint.entries)", "tubemq.entries": "\(ordinal)"]
            )
        }
        let changed = writer.written > 0 || dataSize != position || indexSize != ordinal * Int64(IndexEntry.size)
        if changed {
            try FileIO.dataSync(dataFD, path: dataPath)
            try FileIO.dataSync(indexFD, path: indexPath)
        }
        outcome.segment = .recovered(
            base: base,
            entries: ordinal,
            bytes: position,
            firstTime: firstTime,
            lastTime: lastTime
        )
        return outcome
    }
}

/// Writes index entries that are missing or wrong, coalescing consecutive ones into one write.
private struct IndexRewriter {
    let fd: CInt
    let path: String
    private(set) var written: Int64 = 0
    private var runStart: Int64 = 0
    private var pending: [UInt8] = []
    private static let batchBytes = 1 << 20

    init(fd: CInt, path: String) {
        self.fd = fd
        self.path = path
    }

    mutating func write(_ entry: IndexEntry, at ordinal: Int64) throws(StorageError) {
        if !pending.isEmpty, ordinal != runStart + Int64(pending.count / IndexEntry.size) { try finish() }
        if pending.isEmpty { runStart = ordinal }
        let start = pending.count
        pending.append(contentsOf: repeatElement(0, count: IndexEntry.size))
        pending.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { entry.write(to: base + start) }
        }
        written += 1
        if pending.count >= Self.batchBytes { try finish() }
    }

    mutating func finish() throws(StorageError) {
        guard !pending.isEmpty else { return }
        try FileIO.write(fd, pending, at: runStart * Int64(IndexEntry.size), path: path)
        pending.removeAll(keepingCapacity: true)
    }
}
