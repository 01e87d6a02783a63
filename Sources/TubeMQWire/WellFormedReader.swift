/// A cursor over protobuf bytes that gives up (`nil`) at the first thing out of the ordinary.
struct WellFormedReader {
    let raw: UnsafeRawBufferPointer
    var position = 0

    init(raw: UnsafeRawBufferPointer) {
        self.raw = raw
    }

    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < raw.count, shift < 64 {
            let byte = raw[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    /// A field tag: its number (1...15 only) and wire type.
    mutating func tag() -> (Int, UInt8)? {
        guard position < raw.count else { return nil }
        let byte = raw[position]
        guard byte & 0x80 == 0, byte >> 3 != 0 else { return nil }
        position += 1
        return (Int(byte >> 3), byte & 0x07)
    }

    /// Reads a delimited message's length and returns where it ends.
    mutating func messageEnd() -> Int? {
        guard let length = varint(), length <= UInt64(raw.count - position) else { return nil }
        return position + Int(length)
    }

    /// Reads a length-delimited value that must end by `end` (a containing message's end) and
    /// returns its range.
    mutating func delimited(within end: Int) -> Range<Int>? {
        // The length varint itself may run past `end`: check before measuring what is left.
        guard let length = varint(), position <= end, length <= UInt64(end - position) else { return nil }
        defer { position += Int(length) }
        return position..<(position + Int(length))
    }

    /// Reads a length-delimited value and returns its range.
    mutating func delimited() -> Range<Int>? {
        guard let end = messageEnd() else { return nil }
        defer { position = end }
        return position..<end
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
        return UnsafeBufferPointer(start: (base + range.lowerBound).assumingMemoryBound(to: UInt8.self), count: range.count)
    }
}
