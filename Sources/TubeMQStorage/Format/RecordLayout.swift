import TubeMQCore

/// The layout of one message record in a segment's data file. All integers are little-endian.
///
/// ```
/// 0   u32  header CRC-32 over bytes 4..<52
/// 4   u32  magic "TMQ1" (0x31514D54 read as little-endian u32)
/// 8   i64  entry number (global, equals the segment base + ordinal)
/// 16  i64  message id
/// 24  i64  append time, ms since the epoch
/// 32  i32  partition id
/// 36  i32  flag
/// 40  i32  payload checksum: CRC32(payload) & 0x7FFFFFFF
/// 44  i32  message-type hash
/// 48  u32  payload length
/// 52  payload
/// ```
///
/// The header CRC protects the header; the payload checksum (TubeMQ's own) protects the payload,
/// so the payload is checksummed once, on append.
enum RecordLayout {
    static let headerSize = 52
    static let magic: UInt32 = 0x3151_4D54

    /// A decoded record header.
    struct Header: Equatable {
        var entry: Int64
        var messageID: Int64
        var appendTime: Int64
        var partitionID: Int32
        var flag: Int32
        var checksum: Int32
        var typeHash: Int32
        var payloadLength: Int

        var recordLength: Int { RecordLayout.headerSize + payloadLength }
    }

    /// Writes a header at `base`; the payload must follow it.
    static func writeHeader(_ header: Header, to base: UnsafeMutableRawPointer) {
        base.storeBytes(of: magic.littleEndian, toByteOffset: 4, as: UInt32.self)
        base.storeBytes(of: header.entry.littleEndian, toByteOffset: 8, as: Int64.self)
        base.storeBytes(of: header.messageID.littleEndian, toByteOffset: 16, as: Int64.self)
        base.storeBytes(of: header.appendTime.littleEndian, toByteOffset: 24, as: Int64.self)
        base.storeBytes(of: header.partitionID.littleEndian, toByteOffset: 32, as: Int32.self)
        base.storeBytes(of: header.flag.littleEndian, toByteOffset: 36, as: Int32.self)
        base.storeBytes(of: header.checksum.littleEndian, toByteOffset: 40, as: Int32.self)
        base.storeBytes(of: header.typeHash.littleEndian, toByteOffset: 44, as: Int32.self)
        base.storeBytes(
            of: UInt32(truncatingIfNeeded: header.payloadLength).littleEndian,
            toByteOffset: 48,
            as: UInt32.self
        )
        let crc = CRC32.checksum(UnsafeRawBufferPointer(start: base + 4, count: headerSize - 4))
        base.storeBytes(of: crc.littleEndian, toByteOffset: 0, as: UInt32.self)
    }

    /// Decodes and verifies a header; `nil` when the CRC or magic does not match.
    static func readHeader(_ bytes: UnsafeRawBufferPointer) -> Header? {
        guard bytes.count >= headerSize, let base = bytes.baseAddress else { return nil }
        let stored = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        guard UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) == magic else { return nil }
        let crc = CRC32.checksum(UnsafeRawBufferPointer(start: base + 4, count: headerSize - 4))
        guard crc == stored else { return nil }
        return decodeHeader(base)
    }

    /// Decodes a header without verifying its CRC or magic: for records this process wrote into a
    /// memory block, which no disk stands between. `base` must hold ``headerSize`` bytes.
    static func decodeHeader(_ base: UnsafeRawPointer) -> Header {
        Header(
            entry: Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: Int64.self)),
            messageID: Int64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: Int64.self)),
            appendTime: Int64(littleEndian: base.loadUnaligned(fromByteOffset: 24, as: Int64.self)),
            partitionID: Int32(littleEndian: base.loadUnaligned(fromByteOffset: 32, as: Int32.self)),
            flag: Int32(littleEndian: base.loadUnaligned(fromByteOffset: 36, as: Int32.self)),
            checksum: Int32(littleEndian: base.loadUnaligned(fromByteOffset: 40, as: Int32.self)),
            typeHash: Int32(littleEndian: base.loadUnaligned(fromByteOffset: 44, as: Int32.self)),
            payloadLength: Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 48, as: UInt32.self)))
        )
    }

    /// Whether `payload` matches the header's checksum.
    static func payloadIsIntact(_ payload: UnsafeRawBufferPointer, header: Header) -> Bool {
        payload.count == header.payloadLength && CRC32.tubeChecksum(payload) == header.checksum
    }
}
