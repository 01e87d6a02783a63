public import NIOCore

extension RequestEnvelope {
    /// Decodes an envelope in one pass when it is well formed and holds only the fields this
    /// implementation knows, each with its own wire type; returns `nil` for anything else.
    ///
    /// A `nil` says nothing about validity: ``init(decoding:)`` then decodes it the careful way, with
    /// protobuf-java's error texts. The two agree on every envelope this one accepts.
    public static func wellFormed(_ payload: ByteBuffer) -> RequestEnvelope? {
        payload.withUnsafeReadableBytes { raw -> RequestEnvelope? in
            var reader = WellFormedReader(raw: raw)
            var envelope = RequestEnvelope(serviceType: nil, protocolVersion: nil, method: 0, request: nil)
            var sawFlag = false
            var sawMethod = false
            var requestRange: Range<Int>?
            // RpcConnHeader: 1 flag.
            guard let connEnd = reader.messageEnd() else { return nil }
            while reader.position < connEnd {
                guard let (number, wireType) = reader.tag(), number == 1, wireType == 0,
                    let value = reader.varint(), reader.position <= connEnd
                else { return nil }
                envelope.flag = Int32(truncatingIfNeeded: value)
                sawFlag = true
            }
            // RequestHeader: 1 serviceType, 2 protocolVer.
            guard let headerEnd = reader.messageEnd() else { return nil }
            while reader.position < headerEnd {
                guard let (number, wireType) = reader.tag(), wireType == 0, number == 1 || number == 2,
                    let value = reader.varint(), reader.position <= headerEnd
                else { return nil }
                if number == 1 {
                    envelope.serviceType = Int32(truncatingIfNeeded: value)
                } else {
                    envelope.protocolVersion = Int32(truncatingIfNeeded: value)
                }
            }
            // RequestBody: 1 method, 2 timeout, 3 request.
            guard let bodyEnd = reader.messageEnd() else { return nil }
            while reader.position < bodyEnd {
                guard let (number, wireType) = reader.tag() else { return nil }
                switch (number, wireType) {
                case (1, 0):
                    guard let value = reader.varint() else { return nil }
                    envelope.method = Int32(truncatingIfNeeded: value)
                    sawMethod = true
                case (2, 0):
                    guard let value = reader.varint() else { return nil }
                    envelope.timeout = Int64(bitPattern: value)
                case (3, 2):
                    // The length itself may run past the body: check before measuring what is left.
                    guard let length = reader.varint(), reader.position <= bodyEnd,
                        length <= UInt64(bodyEnd - reader.position)
                    else { return nil }
                    requestRange = reader.position..<(reader.position + Int(length))
                    reader.position += Int(length)
                default:
                    return nil
                }
                guard reader.position <= bodyEnd else { return nil }
            }
            guard sawFlag, sawMethod else { return nil }
            if let range = requestRange {
                envelope.request = payload.getSlice(at: payload.readerIndex + range.lowerBound, length: range.count)
            }
            return envelope
        }
    }
}

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

    /// Reads a length-delimited value and returns its range.
    mutating func delimited() -> Range<Int>? {
        guard let end = messageEnd() else { return nil }
        defer { position = end }
        return position..<end
    }

    /// Reads a length-delimited value as a string; `nil` when it is not valid UTF-8.
    mutating func string() -> String? {
        guard let range = delimited() else { return nil }
        return String(validating: raw[range], as: UTF8.self)
    }
}
