import Glibc
import NIOCore

/// Reads part of one segment from disk; runs on the I/O thread pool.
///
/// It reads a slice of the index, keeps the entries that match the partition and type filter
/// within the limits, then reads the matching records in as few `pread`s as possible (records
/// closer than ``gapTolerance`` share one read) into one buffer that the payloads slice. Every
/// record is verified — header CRC, entry number, partition, length and payload checksum — and a
/// record that fails is skipped, never served.
enum DiskReader {
    /// Where to read: entries `from..<to` of segment `base`, whose written data ends at `writtenBytes`.
    struct Plan: Sendable {
        let dataPath: String
        let indexPath: String
        let base: Int64
        let from: Int64
        let to: Int64
        let writtenBytes: Int64
    }

    /// The result of a chunk: messages, the entry to continue from, and the limits left.
    struct Chunk: Sendable {
        var messages: [StoredMessage]
        var nextEntry: Int64
        var limits: ReadLimits
        var corruptRecords: Int
        /// The first few damaged entries met, for the error log.
        var damaged: [Damage] = []
    }

    /// An entry that could not be served: its index entry or its record failed a check.
    struct Damage: Sendable {
        let entry: Int64
        /// The record's position and length by the index, when the index entry was intact.
        let position: Int64?
        let length: Int?
        let reason: String
    }

    /// How many damaged entries a chunk reports in detail.
    static let damageDetailLimit = 16

    static let gapTolerance: Int64 = 64 << 10
    /// Index entries read per chunk, whatever the scan limit: bounds the buffer of one call.
    static let maxEntriesPerChunk: Int64 = 16_384

    private struct Match {
        let entry: Int64
        let index: IndexEntry
    }

    static func read(_ plan: Plan, limits: ReadLimits) throws(StorageError) -> Chunk {
        var limits = limits
        let scanCount = Int(min(plan.to - plan.from, Int64(max(1, limits.remainingScan)), maxEntriesPerChunk))
        let indexFD = try FileIO.openForReading(plan.indexPath)
        defer { FileIO.close(indexFD) }
        let indexBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: scanCount * IndexEntry.size, alignment: 16)
        defer { indexBuffer.deallocate() }
        let got = try FileIO.read(
            indexFD,
            into: indexBuffer,
            at: (plan.from - plan.base) * Int64(IndexEntry.size),
            path: plan.indexPath
        )
        let available = got / IndexEntry.size
        var matches: [Match] = []
        var corrupt = 0
        var damaged: [Damage] = []
        func note(_ damage: Damage) {
            corrupt += 1
            if damaged.count < damageDetailLimit { damaged.append(damage) }
        }
        var next = plan.from
        guard let indexBase = indexBuffer.baseAddress else {
            return Chunk(messages: [], nextEntry: next, limits: limits, corruptRecords: 0)
        }
        var stoppedEarly = false
        for ordinal in 0..<available {
            if limits.isExhausted {
                stoppedEarly = true
                break
            }
            let entry = plan.from + Int64(ordinal)
            let raw = indexBase + ordinal * IndexEntry.size
            // The CRC is checked before the partition filter: a damaged partition id must not make
            // an entry look foreign and hide its message silently.
            guard let index = IndexEntry.read(from: raw) else {
                note(Damage(entry: entry, position: nil, length: nil, reason: "index entry CRC mismatch"))
                limits.remainingScan -= 1
                next = entry + 1
                continue
            }
            guard index.partitionID == limits.partitionID else {  // another partition's, or a tombstone
                limits.remainingScan -= 1
                next = entry + 1
                continue
            }
            guard index.recordLength >= RecordLayout.headerSize,
                index.position + Int64(index.recordLength) <= plan.writtenBytes
            else {
                note(
                    Damage(
                        entry: entry,
                        position: index.position,
                        length: index.recordLength,
                        reason: "index entry points outside the data"
                    )
                )
                limits.remainingScan -= 1
                next = entry + 1
                continue
            }
            if limits.matches(partitionID: index.partitionID, typeHash: index.typeHash) {
                let payloadLength = index.recordLength - RecordLayout.headerSize
                guard limits.admits(payloadLength: payloadLength) else {
                    limits.markFull()
                    stoppedEarly = true
                    break
                }
                limits.take(payloadLength: payloadLength)
                matches.append(Match(entry: entry, index: index))
            }
            limits.remainingScan -= 1
            next = entry + 1
        }
        if !stoppedEarly && available < scanCount {
            // The index file is shorter than the synced entry count (damage): skip the missing entries.
            note(
                Damage(
                    entry: plan.from + Int64(available),
                    position: nil,
                    length: nil,
                    reason: "index file ends early (\(scanCount - available) entries missing)"
                )
            )
            corrupt += scanCount - available - 1
            limits.remainingScan -= scanCount - available
            next = plan.from + Int64(scanCount)
        }
        guard !matches.isEmpty else {
            return Chunk(messages: [], nextEntry: next, limits: limits, corruptRecords: corrupt, damaged: damaged)
        }
        let (messages, bad) = try readRecords(matches, plan: plan)
        for damage in bad where damaged.count < damageDetailLimit { damaged.append(damage) }
        return Chunk(
            messages: messages,
            nextEntry: next,
            limits: limits,
            corruptRecords: corrupt + bad.count,
            damaged: damaged
        )
    }

    private static func readRecords(_ matches: [Match], plan: Plan) throws(StorageError) -> ([StoredMessage], [Damage])
    {
        var runs: [(start: Int64, end: Int64)] = []
        for match in matches {
            let start = match.index.position
            let end = start + Int64(match.index.recordLength)
            if let last = runs.last, start >= last.end, start - last.end <= gapTolerance {
                runs[runs.count - 1].end = end
            } else {
                runs.append((start, end))
            }
        }
        let total = runs.reduce(0) { $0 + Int($1.end - $1.start) }
        let dataFD = try FileIO.openForReading(plan.dataPath)
        defer { FileIO.close(dataFD) }
        var buffer = ByteBufferAllocator().buffer(capacity: total)
        var runStarts: [(fileStart: Int64, bufferStart: Int)] = []
        for run in runs {
            let bufferStart = buffer.writerIndex
            let length = Int(run.end - run.start)
            let read = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) {
                (raw: UnsafeMutableRawBufferPointer) throws(StorageError) -> Int in
                try FileIO.read(
                    dataFD,
                    into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<length]),
                    at: run.start,
                    path: plan.dataPath
                )
            }
            if read < length { buffer.writeRepeatingByte(0, count: length - read) }
            runStarts.append((run.start, bufferStart))
        }
        var messages: [StoredMessage] = []
        messages.reserveCapacity(matches.count)
        var bad: [Damage] = []
        var runIndex = 0
        for match in matches {
            while runIndex + 1 < runs.count && match.index.position >= runs[runIndex + 1].start { runIndex += 1 }
            let at = runStarts[runIndex].bufferStart + Int(match.index.position - runStarts[runIndex].fileStart)
            let verified: RecordLayout.Header? = buffer.withUnsafeReadableBytes { raw in
                let start = at - buffer.readerIndex
                guard start >= 0, start + match.index.recordLength <= raw.count else { return nil }
                let record = UnsafeRawBufferPointer(rebasing: raw[start..<(start + match.index.recordLength)])
                guard let header = RecordLayout.readHeader(record),
                    header.entry == match.entry,
                    header.partitionID == match.index.partitionID,
                    header.recordLength == match.index.recordLength,
                    RecordLayout.payloadIsIntact(
                        UnsafeRawBufferPointer(rebasing: record[RecordLayout.headerSize...]),
                        header: header
                    )
                else { return nil }
                return header
            }
            guard let header = verified,
                let payload = buffer.getSlice(at: at + RecordLayout.headerSize, length: header.payloadLength)
            else {
                bad.append(
                    Damage(
                        entry: match.entry,
                        position: match.index.position,
                        length: match.index.recordLength,
                        reason: "record failed its checks"
                    )
                )
                continue
            }
            messages.append(
                StoredMessage(offset: StorageOffset.offset(ofEntry: match.entry), header: header, payload: payload)
            )
        }
        return (messages, bad)
    }
}
