import TubeMQCore

/// One fixed-size entry of a segment's index file. All integers are little-endian.
///
/// ```
/// 0   i32  partition id
/// 4   i32  message-type hash
/// 8   i64  record position in the segment's data file
/// 16  i64  append time, ms since the epoch
/// 24  u32  record length (header + payload)
/// 28  u32  CRC-32 over bytes 0..<28
/// ```
///
/// Entry `n` of a segment sits at byte `n * 32` of its index file and describes global entry
/// `base + n`; the client-visible offset of that entry is `(base + n) * 28`.
///
/// A *tombstone* (partition id ``tombstonePartitionID``) stands for an entry whose record recovery
/// found damaged: it keeps later entries at their numbers and is never served. The first tombstone
/// of a damaged range covers the skipped bytes (position and length); the others are empty.
struct IndexEntry: Equatable {
    static let size = 32
    /// The partition id of a tombstone; no real partition id is negative.
    static let tombstonePartitionID: Int32 = -1

    /// A tombstone at `position` covering `length` skipped bytes.
    static func tombstone(position: Int64, length: Int64, appendTime: Int64) -> IndexEntry {
        IndexEntry(
            partitionID: tombstonePartitionID,
            typeHash: 0,
            position: position,
            appendTime: appendTime,
            recordLength: Int(min(length, Int64(UInt32.max)))
        )
    }

    /// Whether this is a tombstone.
    var isTombstone: Bool { partitionID == Self.tombstonePartitionID }

    var partitionID: Int32
    var typeHash: Int32
    var position: Int64
    var appendTime: Int64
    var recordLength: Int

    /// Writes the entry, with its CRC, at `base`.
    func write(to base: UnsafeMutableRawPointer) {
        base.storeBytes(of: partitionID.littleEndian, toByteOffset: 0, as: Int32.self)
        base.storeBytes(of: typeHash.littleEndian, toByteOffset: 4, as: Int32.self)
        base.storeBytes(of: position.littleEndian, toByteOffset: 8, as: Int64.self)
        base.storeBytes(of: appendTime.littleEndian, toByteOffset: 16, as: Int64.self)
        base.storeBytes(of: UInt32(truncatingIfNeeded: recordLength).littleEndian, toByteOffset: 24, as: UInt32.self)
        let crc = CRC32.checksum(UnsafeRawBufferPointer(start: base, count: 28))
        base.storeBytes(of: crc.littleEndian, toByteOffset: 28, as: UInt32.self)
    }

    /// Decodes the entry at `base`; `nil` when its CRC does not match.
    static func read(from base: UnsafeRawPointer) -> IndexEntry? {
        let stored = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
        guard CRC32.checksum(UnsafeRawBufferPointer(start: base, count: 28)) == stored else { return nil }
        return decode(from: base)
    }

    /// Decodes the entry at `base` without verifying its CRC: for entries this process wrote into a
    /// memory block, which no disk stands between.
    static func decode(from base: UnsafeRawPointer) -> IndexEntry {
        IndexEntry(
            partitionID: Int32(littleEndian: base.loadUnaligned(fromByteOffset: 0, as: Int32.self)),
            typeHash: Int32(littleEndian: base.loadUnaligned(fromByteOffset: 4, as: Int32.self)),
            position: Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: Int64.self)),
            appendTime: Int64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: Int64.self)),
            recordLength: Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 24, as: UInt32.self)))
        )
    }

    /// The partition id without verifying the CRC (for filtering before a full decode).
    static func partitionID(at base: UnsafeRawPointer) -> Int32 {
        Int32(littleEndian: base.loadUnaligned(fromByteOffset: 0, as: Int32.self))
    }

    /// The append time without verifying the CRC (for binary searches).
    static func appendTime(at base: UnsafeRawPointer) -> Int64 {
        Int64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: Int64.self))
    }
}
