/// Reads the fields of an encoded protobuf message one by one, without a schema.
///
/// Indices are absolute: the raw bytes start at ``origin`` (a `ByteBuffer`'s reader index, say),
/// so a length-delimited field's range can be used on the buffer the bytes came from.
struct ProtoFieldReader {
    /// A field's value as the wire carries it.
    enum Value {
        case varint(UInt64)
        /// A fixed 32- or 64-bit value (unused by the messages decoded by hand: skipped).
        case fixed
        /// A length-delimited value: its absolute range.
        case bytes(Range<Int>)
        /// A whole group (skipped).
        case group
    }

    struct Field {
        var number: Int
        var value: Value
    }

    private let raw: UnsafeRawBufferPointer
    private let origin: Int
    private var index: Int
    private let end: Int

    /// A reader of `raw[range]`, where `raw[0]` sits at absolute index `origin`.
    init(_ raw: UnsafeRawBufferPointer, origin: Int, range: Range<Int>) {
        self.raw = raw
        self.origin = origin
        self.index = range.lowerBound - origin
        self.end = range.upperBound - origin
    }

    /// The next field, or `nil` at the end.
    ///
    /// - Throws: ``ProtoDecodingError`` for a truncated or malformed field.
    mutating func next() throws(ProtoDecodingError) -> Field? {
        guard index < end else { return nil }
        let tag = try varint()
        let number = Int(truncatingIfNeeded: tag >> 3)
        guard number > 0 else { throw ProtoDecodingError("invalid field number 0") }
        return Field(number: number, value: try value(wireType: tag & 7, number: number))
    }

    private mutating func value(wireType: UInt64, number: Int) throws(ProtoDecodingError) -> Value {
        switch wireType {
        case 0:
            return .varint(try varint())
        case 1, 5:
            let width = wireType == 1 ? 8 : 4
            guard end - index >= width else { throw ProtoDecodingError("truncated fixed-width field") }
            index += width
            return .fixed
        case 2:
            let length = try varint()
            guard length <= UInt64(end - index) else { throw ProtoDecodingError("truncated length-delimited field") }
            let start = index + origin
            index += Int(length)
            return .bytes(start..<(start + Int(length)))
        case 3:
            while true {
                guard index < end else { throw ProtoDecodingError("unterminated group") }
                let tag = try varint()
                if tag & 7 == 4 {
                    guard Int(truncatingIfNeeded: tag >> 3) == number else {
                        throw ProtoDecodingError("mismatched end-group tag")
                    }
                    return .group
                }
                _ = try value(wireType: tag & 7, number: Int(truncatingIfNeeded: tag >> 3))
            }
        default:
            throw ProtoDecodingError("invalid wire type \(wireType)")
        }
    }

    @inline(__always)
    private mutating func varint() throws(ProtoDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < end {
            let byte = raw[index]
            index += 1
            if shift < 64 { value |= UInt64(byte & 0x7F) << shift }
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift >= 70 { throw ProtoDecodingError("malformed varint") }
        }
        throw ProtoDecodingError("truncated varint")
    }
}

/// Bytes that are not a valid encoding of the message expected.
public struct ProtoDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    /// Creates the error.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "undecodable protobuf message: \(reason)" }
}
