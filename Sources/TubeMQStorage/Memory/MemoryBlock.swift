import Glibc
import NIOCore
import TubeMQCore

/// Appended records that are not yet on disk, kept in their exact on-disk form: a data area of
/// records and an index area of entries, so a flush writes each area with one write.
///
/// Ownership: while *active*, only the owning ``StorageInstance`` touches a block (it appends and
/// grows it). Once *sealed* and handed to the flusher it is immutable until the flush completes,
/// so the flusher's I/O thread and the actor may read it concurrently; hence `@unchecked Sendable`.
/// Buffers grow on demand, so an instance that never receives a message allocates nothing.
final class MemoryBlock: @unchecked Sendable {
    /// The base entry of the segment the records belong to (a block never spans segments).
    private(set) var segmentBase: Int64 = 0
    /// The global entry number of the first record.
    private(set) var firstEntry: Int64 = 0
    /// Where the first record goes in the segment's data file.
    private(set) var dataStart: Int64 = 0
    /// Bytes of records held.
    private(set) var dataCount = 0
    /// Records held.
    private(set) var entryCount = 0
    /// Append time of the first record (ms), for the flush interval.
    private(set) var firstAppendTime: Int64 = 0
    /// Append time of the last record (ms).
    private(set) var lastAppendTime: Int64 = 0

    private var data: UnsafeMutableRawPointer?
    private var dataCapacity = 0
    private var index: UnsafeMutableRawPointer?
    private var indexCapacity = 0

    private static let minimumDataCapacity = 16 << 10

    init() {}

    deinit {
        free(data)
        free(index)
    }

    /// Bytes of heap memory the block holds.
    var allocatedBytes: Int { dataCapacity + indexCapacity * IndexEntry.size }

    /// The global entry after the last record.
    var endEntry: Int64 { firstEntry + Int64(entryCount) }

    /// The data-file position after the last record.
    var dataEnd: Int64 { dataStart + Int64(dataCount) }

    var isEmpty: Bool { entryCount == 0 }

    /// Empties the block for records starting at `firstEntry`, keeping its buffers.
    func reset(segmentBase: Int64, firstEntry: Int64, dataStart: Int64) {
        self.segmentBase = segmentBase
        self.firstEntry = firstEntry
        self.dataStart = dataStart
        dataCount = 0
        entryCount = 0
        firstAppendTime = 0
        lastAppendTime = 0
    }

    /// Frees the buffers of an empty block.
    func releaseBuffers() {
        guard isEmpty else { return }
        free(data)
        free(index)
        data = nil
        index = nil
        dataCapacity = 0
        indexCapacity = 0
    }

    /// Makes room for `bytes` more data and `entries` more index entries.
    ///
    /// - Returns: `false` when memory could not be allocated.
    func reserve(bytes: Int, entries: Int) -> Bool {
        let neededData = dataCount + bytes
        if neededData > dataCapacity {
            var capacity = max(Self.minimumDataCapacity, dataCapacity)
            while capacity < neededData { capacity *= 2 }
            guard let grown = realloc(data, capacity) else { return false }
            data = grown
            dataCapacity = capacity
        }
        let neededEntries = entryCount + entries
        if neededEntries > indexCapacity {
            var capacity = max(256, indexCapacity)
            while capacity < neededEntries { capacity *= 2 }
            guard let grown = realloc(index, capacity * IndexEntry.size) else { return false }
            index = grown
            indexCapacity = capacity
        }
        return true
    }

    /// Appends one record; room must have been reserved. Returns the record's length.
    @discardableResult
    func append(_ message: AppendMessage, appendTime: Int64) -> Int {
        guard let data, let index else { return 0 }
        let payloadLength = message.payload.readableBytes
        let recordStart = data + dataCount
        let payloadStart = recordStart + RecordLayout.headerSize
        message.payload.withUnsafeReadableBytes { bytes in
            if let source = bytes.baseAddress { payloadStart.copyMemory(from: source, byteCount: bytes.count) }
        }
        let checksum =
            message.checksum
            ?? CRC32.tubeChecksum(UnsafeRawBufferPointer(start: payloadStart, count: payloadLength))
        let entry = endEntry
        let header = RecordLayout.Header(
            entry: entry,
            messageID: message.messageID,
            appendTime: appendTime,
            partitionID: message.partitionID,
            flag: message.flag,
            checksum: checksum,
            typeHash: message.typeHash,
            payloadLength: payloadLength
        )
        RecordLayout.writeHeader(header, to: recordStart)
        let recordLength = header.recordLength
        IndexEntry(
            partitionID: message.partitionID,
            typeHash: message.typeHash,
            position: dataStart + Int64(dataCount),
            appendTime: appendTime,
            recordLength: recordLength
        ).write(to: index + entryCount * IndexEntry.size)
        if entryCount == 0 { firstAppendTime = appendTime }
        lastAppendTime = appendTime
        dataCount += recordLength
        entryCount += 1
        return recordLength
    }

    /// The records, as written to the data file.
    var dataBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : dataCount)
    }

    /// The index entries, as written to the index file.
    var indexBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: index, count: index == nil ? 0 : entryCount * IndexEntry.size)
    }

    /// The index entry of global entry `entry`, which must be in the block.
    func indexEntry(_ entry: Int64) -> IndexEntry? {
        guard let index, entry >= firstEntry, entry < endEntry else { return nil }
        return IndexEntry.decode(from: index + Int(entry - firstEntry) * IndexEntry.size)
    }

    /// The partition of `entry`'s index entry, read without decoding the rest (a read skips the other
    /// partitions' entries of its store by this).
    func partitionID(ofEntry entry: Int64) -> Int32? {
        guard let index, entry >= firstEntry, entry < endEntry else { return nil }
        return IndexEntry.partitionID(at: index + Int(entry - firstEntry) * IndexEntry.size)
    }

    /// The header and payload of the record an index entry of this block points to.
    func record(for entry: IndexEntry) -> (header: RecordLayout.Header, payload: UnsafeRawBufferPointer)? {
        guard let data else { return nil }
        let start = Int(entry.position - dataStart)
        guard start >= 0, start + entry.recordLength <= dataCount else { return nil }
        guard entry.recordLength >= RecordLayout.headerSize else { return nil }
        let bytes = UnsafeRawBufferPointer(start: data + start, count: entry.recordLength)
        let header = RecordLayout.decodeHeader(data + start)
        guard header.recordLength == entry.recordLength else { return nil }
        return (header, UnsafeRawBufferPointer(rebasing: bytes[RecordLayout.headerSize...]))
    }

    /// The first entry whose append time is at least `time`, or `endEntry`.
    func entry(atOrAfterTime time: Int64) -> Int64 {
        guard let index else { return endEntry }
        var low = 0
        var high = entryCount
        while low < high {
            let mid = (low + high) / 2
            if IndexEntry.appendTime(at: index + mid * IndexEntry.size) < time { low = mid + 1 } else { high = mid }
        }
        return firstEntry + Int64(low)
    }
}
