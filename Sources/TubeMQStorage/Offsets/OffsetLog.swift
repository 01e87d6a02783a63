import Glibc

/// The file behind the ``OffsetStore``: an append-only log of ``OffsetLogRecord``s, compacted by
/// writing a snapshot to a temporary file and renaming it over the log.
///
/// Every function blocks: call them on the I/O thread pool.
struct OffsetLog: Sendable {
    static let fileName = "offsets.log"
    static let temporaryName = "offsets.log.tmp"

    let directory: String
    var path: String { directory + "/" + Self.fileName }

    /// What ``load()`` found.
    struct Loaded {
        /// The committed offsets.
        var offsets: [OffsetStore.Key: Int64]
        /// The records replayed.
        var records: Int
        /// The log's valid size (after cutting a torn tail).
        var size: Int64
        /// Damaged stretches stepped over, each followed by a valid record (a torn tail is not counted).
        var damagedPlaces = 0
        /// The bytes in those stretches.
        var damagedBytes = 0
        /// The bytes cut from the end: a record torn by a crash, or damage with no valid record after it.
        var truncatedBytes: Int64 = 0
    }

    /// Replays the log. A damaged record is stepped over to the next valid one, so one bad record
    /// loses only itself (an older record of its key then counts); damage with no valid record after
    /// it, like a record torn by a crash, is cut off.
    func load() throws(StorageError) -> Loaded {
        try FileIO.makeDirectories(directory)
        try FileIO.remove(directory + "/" + Self.temporaryName)
        let fd = try FileIO.openForWriting(path)
        defer { FileIO.close(fd) }
        let size = try FileIO.size(fd, path: path)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let read = try FileIO.read(fd, into: &bytes, at: 0, path: path)
        var loaded = Loaded(offsets: [:], records: 0, size: 0)
        var position = 0
        bytes.withUnsafeBytes { raw in
            while position < read {
                if let (record, length) = OffsetLogRecord.decode(UnsafeRawBufferPointer(rebasing: raw[position..<read]))
                {
                    if record.offset == OffsetLogRecord.deleted {
                        loaded.offsets[record.key] = nil
                    } else {
                        loaded.offsets[record.key] = record.offset
                    }
                    loaded.records += 1
                    position += length
                    continue
                }
                guard let next = Self.nextRecord(in: raw, after: position, end: read) else { break }
                loaded.damagedPlaces += 1
                loaded.damagedBytes += next - position
                position = next
            }
        }
        loaded.size = Int64(position)
        loaded.truncatedBytes = size - Int64(position)
        if Int64(position) != size {
            try FileIO.truncate(fd, to: Int64(position), path: path)
            try FileIO.dataSync(fd, path: path)
        }
        return loaded
    }

    /// Where the next record that decodes starts after `position`, or `nil` when none does.
    private static func nextRecord(in raw: UnsafeRawBufferPointer, after position: Int, end: Int) -> Int? {
        var candidate = position + 1
        while candidate + 8 < end {
            if OffsetLogRecord.decode(UnsafeRawBufferPointer(rebasing: raw[candidate..<end])) != nil {
                return candidate
            }
            candidate += 1
        }
        return nil
    }

    /// Appends encoded records at `offset` and syncs them. After a failure the file is cut back to
    /// `offset` (as far as it can be), so a partly written record is not left for the retry to follow.
    func append(_ bytes: [UInt8], at offset: Int64) throws(StorageError) {
        let fd = try FileIO.openForWriting(path)
        defer { FileIO.close(fd) }
        do throws(StorageError) {
            try FileIO.write(fd, bytes, at: offset, path: path)
            try FileIO.dataSync(fd, path: path)
        } catch {
            try? FileIO.truncate(fd, to: offset, path: path)
            throw error
        }
    }

    /// Replaces the log with one record per key, atomically. Returns the new log size.
    func compact(_ offsets: [OffsetStore.Key: Int64]) throws(StorageError) -> Int64 {
        var bytes: [UInt8] = []
        for (key, offset) in offsets { OffsetLogRecord(key: key, offset: offset).encode(into: &bytes) }
        let temporary = directory + "/" + Self.temporaryName
        let fd = try FileIO.openForWriting(temporary)
        do throws(StorageError) {
            try FileIO.truncate(fd, to: 0, path: temporary)
            try FileIO.write(fd, bytes, at: 0, path: temporary)
            try FileIO.dataSync(fd, path: temporary)
            FileIO.close(fd)
        } catch {
            FileIO.close(fd)
            throw error
        }
        try FileIO.rename(temporary, to: path)
        try FileIO.syncDirectory(directory)
        return Int64(bytes.count)
    }
}
