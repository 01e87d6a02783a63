/// A cursor over encoded protobuf bytes, without a schema: the one reader behind every hand-written
/// decoder in this module.
///
/// It serves two styles of decoder:
/// - the *well-formed* fast paths (``RequestEnvelope/wellFormed(_:)``, ``SendMessageRequestP2B/wellFormed(_:)``,
///   ``SendMessageReply/wellFormed(_:)`` …) read one-byte tags and their values in order and give up
///   (`nil`) at the first thing out of the ordinary, leaving it to SwiftProtobuf;
/// - ``nextField()`` walks any valid encoding field by field, skipping what its caller does not know,
///   and throws ``ProtoDecodingError`` on malformed bytes (``GetMessageReply``).
///
/// Varints follow SwiftProtobuf: at most ten bytes, the tenth truncated to its low bit. Positions and
/// ranges are indices into ``raw``. The Java error texts for rejected requests come from
/// ``ProtoWireScanner``, which exists only for them.
struct ProtoReader {
    /// A field's value as the wire carries it.
    enum Value {
        case varint(UInt64)
        /// A fixed 32- or 64-bit value (skipped: no hand-decoded message has one).
        case fixed
        /// A length-delimited value: its range in ``ProtoReader/raw``.
        case bytes(Range<Int>)
        /// A whole group (skipped).
        case group
    }

    /// One field: its number and value.
    struct Field {
        var number: Int
        var value: Value
    }

    /// The bytes read.
    let raw: UnsafeRawBufferPointer
    /// The index of the next byte to read.
    var position: Int
    /// Where reading stops (exclusive).
    let end: Int

    /// A reader of `raw[range]` (all of `raw` by default).
    @inline(__always)
    init(raw: UnsafeRawBufferPointer, range: Range<Int>? = nil) {
        self.raw = raw
        self.position = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? raw.count
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { position >= end }

    // MARK: Fast-path reads (nil at anything out of the ordinary)

    /// The next byte, or `nil` at the end.
    @inline(__always)
    mutating func byte() -> UInt8? {
        guard position < end else { return nil }
        defer { position += 1 }
        return raw[position]
    }

    /// A base-128 varint; `nil` when truncated or longer than ten bytes.
    @inline(__always)
    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < end, shift < 64 {
            let byte = raw[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    /// A one-byte field tag: its number (1...15) and wire type; `nil` for anything else.
    @inline(__always)
    mutating func tag() -> (Int, UInt8)? {
        guard position < end else { return nil }
        let byte = raw[position]
        guard byte & 0x80 == 0, byte >> 3 != 0 else { return nil }
        position += 1
        return (Int(byte >> 3), byte & 0x07)
    }

    /// Reads a delimited message's length and returns where it ends.
    mutating func messageEnd() -> Int? {
        guard let length = varint(), length <= UInt64(end - position) else { return nil }
        return position + Int(length)
    }

    /// Reads a length-delimited value that must end by `limit` (a containing message's end) and
    /// returns its range.
    mutating func delimited(within limit: Int) -> Range<Int>? {
        // The length varint itself may run past `limit`: check before measuring what is left.
        guard let length = varint(), position <= limit, length <= UInt64(limit - position) else { return nil }
        defer { position += Int(length) }
        return position..<(position + Int(length))
    }

    /// Reads a length-delimited value and returns its range.
    mutating func delimited() -> Range<Int>? {
        guard let valueEnd = messageEnd() else { return nil }
        defer { position = valueEnd }
        return position..<valueEnd
    }

    /// Reads a length-delimited value as a string; `nil` when it is not valid UTF-8.
    mutating func string() -> String? {
        guard let range = delimited() else { return nil }
        let bytes = self.bytes(range)
        // ASCII (client ids, topic names) needs no validation; anything else is validated strictly.
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The bytes in `range`, typed (concrete types keep the callers' generic code specialized).
    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        guard let base = raw.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(
            start: (base + range.lowerBound).assumingMemoryBound(to: UInt8.self),
            count: range.count
        )
    }

    // MARK: General walk (throws on malformed bytes)

    /// The next field of any valid encoding, or `nil` at the end.
    ///
    /// - Throws: ``ProtoDecodingError`` for a truncated or malformed field.
    mutating func nextField() throws(ProtoDecodingError) -> Field? {
        guard position < end else { return nil }
        let tag = try requiredVarint()
        let number = Int(truncatingIfNeeded: tag >> 3)
        guard number > 0 else { throw ProtoDecodingError("invalid field number 0") }
        return Field(number: number, value: try value(wireType: tag & 7, number: number, depth: 0))
    }

    private mutating func value(wireType: UInt64, number: Int, depth: Int) throws(ProtoDecodingError) -> Value {
        switch wireType {
        case 0:
            return .varint(try requiredVarint())
        case 1, 5:
            let width = wireType == 1 ? 8 : 4
            guard end - position >= width else { throw ProtoDecodingError("truncated fixed-width field") }
            position += width
            return .fixed
        case 2:
            let length = try requiredVarint()
            guard length <= UInt64(end - position) else {
                throw ProtoDecodingError("truncated length-delimited field")
            }
            let start = position
            position += Int(length)
            return .bytes(start..<position)
        case 3:
            // Nested groups recurse: bounded as protobuf-java bounds them, so that bytes of nothing but
            // group starts cannot exhaust the stack.
            guard depth < ProtoWireScanner.maximumDepth else { throw ProtoDecodingError("groups nested too deep") }
            while true {
                guard position < end else { throw ProtoDecodingError("unterminated group") }
                let tag = try requiredVarint()
                if tag & 7 == 4 {
                    guard Int(truncatingIfNeeded: tag >> 3) == number else {
                        throw ProtoDecodingError("mismatched end-group tag")
                    }
                    return .group
                }
                _ = try value(wireType: tag & 7, number: Int(truncatingIfNeeded: tag >> 3), depth: depth + 1)
            }
        default:
            throw ProtoDecodingError("invalid wire type \(wireType)")
        }
    }

    @inline(__always)
    private mutating func requiredVarint() throws(ProtoDecodingError) -> UInt64 {
        let start = position
        if let value = varint() { return value }
        throw ProtoDecodingError(position - start >= 10 ? "malformed varint" : "truncated varint")
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
