/// Rebuilds one segment from its data file: verifies every record from a trusted starting point,
/// truncates a torn or corrupt tail, and rewrites index entries that are missing or wrong.
///
/// A record is valid when its header CRC and magic match, its entry number is the next one
/// expected, it fits in the file, and its payload matches its checksum. The scan stops at the first
/// invalid record: under the flush protocol nothing after it was ever synced, so nothing after it
/// was acknowledged under the disk policy.
enum SegmentScanner {
    /// What the scan changed.
    struct Outcome {
        var segment: SegmentInfo
        var truncatedBytes: Int64
        var rebuiltEntries: Int64
        var droppedEntries: Int64
    }

    /// Scans segment `base` from `trusted` (entries, data bytes known good), repairing it in place.
    static func scan(
        base: Int64, directory: String, trusted: (entries: Int64, bytes: Int64)
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

        var ordinal = trusted.entries
        var position = trusted.bytes
        if position > dataSize || ordinal > indexEntries {
            ordinal = 0
            position = 0
        }
        let data = ScanWindow(fd: dataFD, path: dataPath, fileSize: dataSize)
        let index = ScanWindow(fd: indexFD, path: indexPath, fileSize: indexSize)
        var writer = IndexRewriter(fd: indexFD, path: indexPath)
        var firstTime: Int64?
        var lastTime: Int64 = 0
        if ordinal > 0 {
            firstTime = try index.bytes(at: 0, count: IndexEntry.size)
                .flatMap { $0.baseAddress }.flatMap { IndexEntry.read(from: $0) }?.appendTime
            lastTime = try index.bytes(at: (ordinal - 1) * Int64(IndexEntry.size), count: IndexEntry.size)
                .flatMap { $0.baseAddress }.flatMap { IndexEntry.read(from: $0) }?.appendTime ?? 0
        }

        while let headerBytes = try data.bytes(at: position, count: RecordLayout.headerSize),
            let header = RecordLayout.readHeader(headerBytes),
            header.entry == base + ordinal,
            let payload = try data.bytes(at: position + Int64(RecordLayout.headerSize), count: header.payloadLength),
            RecordLayout.payloadIsIntact(payload, header: header)
        {
            let expected = IndexEntry(
                partitionID: header.partitionID, typeHash: header.typeHash, position: position,
                appendTime: header.appendTime, recordLength: header.recordLength
            )
            if !writer.isRewriting {
                let onDisk = try index.bytes(at: ordinal * Int64(IndexEntry.size), count: IndexEntry.size)
                    .flatMap { $0.baseAddress }.flatMap { IndexEntry.read(from: $0) }
                if onDisk != expected { writer.start(at: ordinal) }
            }
            if writer.isRewriting { try writer.append(expected) }
            if firstTime == nil { firstTime = header.appendTime }
            lastTime = header.appendTime
            ordinal += 1
            position += Int64(header.recordLength)
        }
        try writer.finish()

        let changed = writer.rewritten > 0 || dataSize != position || indexSize != ordinal * Int64(IndexEntry.size)
        if dataSize > position { try FileIO.truncate(dataFD, to: position, path: dataPath) }
        if indexSize != ordinal * Int64(IndexEntry.size) {
            try FileIO.truncate(indexFD, to: ordinal * Int64(IndexEntry.size), path: indexPath)
        }
        if changed {
            try FileIO.dataSync(dataFD, path: dataPath)
            try FileIO.dataSync(indexFD, path: indexPath)
        }
        return Outcome(
            segment: .recovered(base: base, entries: ordinal, bytes: position, firstTime: firstTime, lastTime: lastTime),
            truncatedBytes: max(0, dataSize - position),
            rebuiltEntries: writer.rewritten,
            droppedEntries: max(0, indexEntries - ordinal)
        )
    }
}

/// Writes rebuilt index entries in batches, from the first entry that was missing or wrong.
private struct IndexRewriter {
    let fd: CInt
    let path: String
    private(set) var isRewriting = false
    private(set) var rewritten: Int64 = 0
    private var nextOrdinal: Int64 = 0
    private var pending: [UInt8] = []
    private static let batchBytes = 1 << 20

    init(fd: CInt, path: String) {
        self.fd = fd
        self.path = path
    }

    mutating func start(at ordinal: Int64) {
        isRewriting = true
        nextOrdinal = ordinal
        pending.reserveCapacity(Self.batchBytes)
    }

    mutating func append(_ entry: IndexEntry) throws(StorageError) {
        let start = pending.count
        pending.append(contentsOf: repeatElement(0, count: IndexEntry.size))
        pending.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { entry.write(to: base + start) }
        }
        rewritten += 1
        if pending.count >= Self.batchBytes { try finish() }
    }

    mutating func finish() throws(StorageError) {
        guard !pending.isEmpty else { return }
        let offset = nextOrdinal * Int64(IndexEntry.size)
        try FileIO.write(fd, pending, at: offset, path: path)
        nextOrdinal += Int64(pending.count / IndexEntry.size)
        pending.removeAll(keepingCapacity: true)
    }
}
