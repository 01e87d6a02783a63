/// Finds records in a data file: validates the record at a position, and after a damaged one,
/// finds the next valid record.
///
/// The resynchronisation rule, in order of trust:
///
/// 1. the damaged record's header is intact (CRC, magic, the expected entry) and the record fits
///    in the file: only its payload is damaged, and the next record starts right after it;
/// 2. the index entry of the expected entry is intact and starts at the damaged position: the next
///    record starts at its end, when a valid record with the next entry number is there (or the
///    file ends there);
/// 3. otherwise the bytes after the damage are searched for the record magic; a candidate is
///    accepted only when its header CRC is valid, its payload matches its checksum, its entry
///    number is greater than the expected one, and the records it implies were lost fit in the
///    gap (each at least a header long). A payload that merely contains the magic fails the CRC.
///
/// When nothing is found the rest of the file is a torn tail.
struct RecordResync {
    let data: ScanWindow
    let dataSize: Int64
    let base: Int64

    /// The header of the fully valid record for `entry` at `position`, or `nil`.
    func validRecord(at position: Int64, entry: Int64) throws(StorageError) -> RecordLayout.Header? {
        guard let header = try header(at: position), header.entry == entry,
            position + Int64(header.recordLength) <= dataSize,
            let payload = try data.bytes(at: position + Int64(RecordLayout.headerSize), count: header.payloadLength),
            RecordLayout.payloadIsIntact(payload, header: header)
        else { return nil }
        return header
    }

    /// Where the next valid record after the damaged one at `position` (which should have held
    /// `entry`) starts, and its entry number; `nil` when none does.
    func nextRecord(
        after position: Int64,
        entry: Int64,
        indexHint: IndexEntry?
    ) throws(StorageError) -> (position: Int64, entry: Int64)? {
        if let header = try header(at: position), header.entry == entry,
            position + Int64(header.recordLength) <= dataSize
        {
            return (position + Int64(header.recordLength), entry + 1)
        }
        if let hint = indexHint, hint.partitionID != IndexEntry.tombstonePartitionID, hint.position == position,
            hint.recordLength >= RecordLayout.headerSize
        {
            let end = position + Int64(hint.recordLength)
            if end == dataSize { return (end, entry + 1) }
            if end < dataSize, try validRecord(at: end, entry: entry + 1) != nil { return (end, entry + 1) }
        }
        return try search(after: position, entry: entry)
    }

    private func header(at position: Int64) throws(StorageError) -> RecordLayout.Header? {
        guard let bytes = try data.bytes(at: position, count: RecordLayout.headerSize) else { return nil }
        return RecordLayout.readHeader(bytes)
    }

    /// Scans for the magic from `position + 1`, window by window.
    private func search(after position: Int64, entry: Int64) throws(StorageError) -> (position: Int64, entry: Int64)? {
        let magic = RecordLayout.magic.littleEndian
        var chunkStart = position + 1 + 4  // the magic sits 4 bytes into a record
        let chunkSize = ScanWindow.chunkSize
        while chunkStart + 4 <= dataSize {
            let count = Int(min(Int64(chunkSize), dataSize - chunkStart))
            guard let bytes = try data.bytes(at: chunkStart, count: count), let start = bytes.baseAddress else {
                return nil
            }
            var candidates: [Int64] = []
            var i = 0
            while i + 4 <= count {
                if start.loadUnaligned(fromByteOffset: i, as: UInt32.self) == magic {
                    candidates.append(chunkStart + Int64(i) - 4)
                }
                i += 1
            }
            // `bytes` is invalid once another read moves the window.
            for candidate in candidates {
                guard let header = try header(at: candidate), header.entry > entry,
                    (header.entry - entry) * Int64(RecordLayout.headerSize) <= candidate - position,
                    try validRecord(at: candidate, entry: header.entry) != nil
                else { continue }
                return (candidate, header.entry)
            }
            // Overlap by three bytes so a magic split across windows is still seen.
            chunkStart += Int64(max(1, count - 3))
        }
        return nil
    }
}
