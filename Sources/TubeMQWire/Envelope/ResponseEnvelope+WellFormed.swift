public import NIOCore

extension ResponseEnvelope {
    /// Decodes a SUCCESS envelope in one pass when it is well formed and holds only the fields this
    /// implementation knows, each with its own wire type; returns `nil` for anything else.
    ///
    /// A `nil` says nothing about validity: ``init(decoding:)`` then decodes it the careful way (and
    /// handles exceptions). The two agree on every envelope this one accepts.
    public static func wellFormedSuccess(_ payload: ByteBuffer) -> ResponseEnvelope? {
        payload.withUnsafeReadableBytes { raw -> ResponseEnvelope? in
            var cursor = ProtoReader(raw: raw)
            // RpcConnHeader: 1 flag.
            guard let connEnd = cursor.messageEnd() else { return nil }
            var sawFlag = false
            while cursor.position < connEnd {
                guard let (number, wireType) = cursor.tag(), number == 1, wireType == 0, cursor.varint() != nil,
                    cursor.position <= connEnd
                else { return nil }
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
                    guard let range = cursor.delimited(within: bodyEnd) else { return nil }
                    data = range
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
