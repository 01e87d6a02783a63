public import NIOCore

extension ResponseEnvelope {
    /// Decodes a SUCCESS envelope in one pass when it is well formed and holds only the fields this
    /// implementation knows, each with its own wire type; returns `nil` for anything else.
    ///
    /// A `nil` says nothing about validity: ``init(decoding:)`` then decodes it the careful way (and
    /// handles exceptions). The two agree on every envelope this one accepts.
    public static func wellFormedSuccess(_ payload: ByteBuffer) -> ResponseEnvelope? {
        payload.withUnsafeReadableBytes { raw -> ResponseEnvelope? in
            var cursor = ReplyCursor(raw: raw)
            // RpcConnHeader: 1 flag.
            guard let connEnd = cursor.messageEnd() else { return nil }
            var sawFlag = false
            while cursor.position < connEnd {
                guard let (number, wireType) = cursor.tag(), number == 1, wireType == 0, cursor.varint() != nil, cursor.position <= connEnd else { return nil }
                sawFlag = true
            }
            // ResponseHeader: 1 status (must be SUCCESS), 2 serviceType, 3 protocolVer.
            guard let headerEnd = cursor.messageEnd() else { return nil }
            var status: UInt64?
            while cursor.position < headerEnd {
                guard let (number, wireType) = cursor.tag(), wireType == 0, (1...3).contains(number),
                    let value = cursor.varint(), cursor.position <= headerEnd
                else { return nil }
                if number == 1 { status = value }
            }
            guard sawFlag, let status, Int32(truncatingIfNeeded: status) == 0 else { return nil }
            // RspResponseBody: 1 method, 2 data.
            guard let bodyEnd = cursor.messageEnd() else { return nil }
            var method: Int32?
            var data: Range<Int>?
            while cursor.position < bodyEnd {
                switch cursor.tag() {
                case (1, 0)?:
                    guard let value = cursor.varint() else { return nil }
                    method = Int32(truncatingIfNeeded: value)
                case (2, 2)?:
                    guard let length = cursor.varint(), cursor.position <= bodyEnd,
                        length <= UInt64(bodyEnd - cursor.position)
                    else { return nil }
                    data = cursor.position..<(cursor.position + Int(length))
                    cursor.position += Int(length)
                default:
                    return nil
                }
                guard cursor.position <= bodyEnd else { return nil }
            }
            guard let method, let data,
                let slice = payload.getSlice(at: payload.readerIndex + data.lowerBound, length: data.count)
            else { return nil }
            return .success(method: method, data: slice)
        }
    }
}

/// A cursor over reply bytes that gives up (`nil`) at the first thing out of the ordinary.
private struct ReplyCursor {
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
}
