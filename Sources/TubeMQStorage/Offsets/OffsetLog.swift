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

    /// Replays the log, truncating a torn tail. Returns the committed offsets, the number of
    /// records and the log's valid size.
    func load() throws(StorageError) -> (offsets: [OffsetStore.Key: Int64], records: Int, size: Int64) {
        try FileIO.makeDirectories(directory)
        try FileIO.remove(directory + "/" + Self.temporaryName)
        let fd = try FileIO.openForWriting(path)
        defer { FileIO.close(fd) }
        let size = try FileIO.size(fd, path: path)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let read = try FileIO.read(fd, into: &bytes, at: 0, path: path)
        var offsets: [OffsetStore.Key: Int64] = [:]
        var records = 0
        var position = 0
        bytes.withUnsafeBytes { raw in
            while position < read,
                let (record, length) = OffsetLogRecord.decode(UnsafeRawBufferPointer(rebasing: raw[position..<read]))
            {
                if record.offset == OffsetLogRecord.deleted {
                    offsets[record.key] = nil
                } else {
                    offsets[record.key] = record.offset
                }
                records += 1
                position += length
            }
        }
        if Int64(position) != size {
            try FileIO.truncate(fd, to: Int64(position), path: path)
            try FileIO.dataSync(fd, path: path)
        }
        return (offsets, records, Int64(position))
    }

    /// Appends encoded records at `offset` and syncs them.
    func append(_ bytes: [UInt8], at offset: Int64) throws(StorageError) {
        let fd = try FileIO.openForWriting(path)
        defer { FileIO.close(fd) }
        try FileIO.write(fd, bytes, at: offset, path: path)
        try FileIO.dataSync(fd, path: path)
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
