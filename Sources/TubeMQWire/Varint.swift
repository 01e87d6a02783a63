public import NIOCore

extension ByteBuffer {
    /// Writes `value` as a protobuf base-128 varint; negative values take ten bytes, as in protobuf.
    @inlinable
    @discardableResult
    public mutating func writeProtobufVarint(_ value: UInt64) -> Int {
        var v = value
        var written = 0
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
            written += 1
        }
        writeInteger(UInt8(truncatingIfNeeded: v))
        return written + 1
    }

    /// Writes a signed protobuf `int32`/`int64` value (sign-extended to 64 bits, as protobuf does).
    @inlinable
    @discardableResult
    public mutating func writeProtobufVarint(signed value: Int64) -> Int {
        writeProtobufVarint(UInt64(bitPattern: value))
    }

    /// Reads a protobuf varint; `nil` if the buffer ends first or it runs past ten bytes (nothing is consumed then).
    @inlinable
    public mutating func readProtobufVarint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = readerIndex
        while let byte = getInteger(at: index, as: UInt8.self) {
            index += 1
            if shift < 64 { value |= UInt64(byte & 0x7F) << shift }
            if byte & 0x80 == 0 {
                moveReaderIndex(to: index)
                return value
            }
            shift += 7
            if shift >= 70 { return nil }
        }
        return nil
    }
}

/// Size in bytes of `value` encoded as a varint.
@inlinable
func protobufVarintSize(_ value: UInt64) -> Int {
    var v = value
    var size = 1
    while v >= 0x80 {
        v >>= 7
        size += 1
    }
    return size
}
