public import NIOCore

extension ByteBuffer {
    /// Writes `value` as a protobuf base-128 varint; negative values take ten bytes, as in protobuf.
    @inlinable
    @discardableResult
    public mutating func writeProtobufVarint(_ value: UInt64) -> Int {
        if value < 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: value))
            return 1
        }
        // Encode on the stack, then append once: one capacity check instead of one per byte.
        var scratch: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &scratch) { raw -> Int in
            var v = value
            var count = 0
            while v >= 0x80 {
                raw[count] = UInt8(truncatingIfNeeded: v) | 0x80
                v >>= 7
                count += 1
            }
            raw[count] = UInt8(truncatingIfNeeded: v)
            count += 1
            writeBytes(UnsafeRawBufferPointer(rebasing: raw[0..<count]))
            return count
        }
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
