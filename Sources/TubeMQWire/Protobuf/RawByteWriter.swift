import NIOCore

/// Writes protobuf and frame primitives into memory the caller has sized exactly (one bounds check and
/// one exclusivity check for a whole message, instead of one per field).
struct RawByteWriter {
    private let base: UnsafeMutableRawPointer
    /// Bytes written so far.
    private(set) var count = 0

    init(_ base: UnsafeMutableRawPointer) {
        self.base = base
    }

    mutating func byte(_ value: UInt8) {
        base.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    mutating func uint32(_ value: UInt32) {
        base.storeBytes(of: value.bigEndian, toByteOffset: count, as: UInt32.self)
        count += 4
    }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        byte(UInt8(truncatingIfNeeded: v))
    }

    /// A protobuf `int32`/`int64`: sign-extended to 64 bits.
    mutating func varint(signed value: Int64) {
        varint(UInt64(bitPattern: value))
    }

    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let address = source.baseAddress, source.count > 0 else { return }
        (base + count).copyMemory(from: address, byteCount: source.count)
        count += source.count
    }

    mutating func bytes(_ source: [UInt8]) {
        source.withUnsafeBytes { bytes($0) }
    }

    /// The UTF-8 bytes of `text`.
    mutating func utf8(_ text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes(UnsafeRawBufferPointer($0)) }
        if done == nil {
            for unit in text.utf8 { byte(unit) }
        }
    }

    /// A length-delimited field: tag, length, then the UTF-8 bytes of `text`.
    mutating func stringField(_ tag: UInt8, _ text: String) {
        byte(tag)
        varint(UInt64(text.utf8.count))
        utf8(text)
    }
}

extension ByteBuffer {
    /// Reserves `capacity` writable bytes once and appends what `write` stores (at most `capacity`
    /// bytes) with plain stores: each ordinary `ByteBuffer` write checks capacity and uniqueness.
    mutating func writeRaw(reserving capacity: Int, _ write: (inout RawByteWriter) -> Void) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { raw in
            guard let base = raw.baseAddress else { return 0 }
            var writer = RawByteWriter(base)
            write(&writer)
            assert(writer.count <= capacity, "wrote \(writer.count) bytes into \(capacity) reserved")
            return writer.count
        }
    }
}
