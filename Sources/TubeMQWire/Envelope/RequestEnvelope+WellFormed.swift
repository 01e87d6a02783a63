public import NIOCore

extension RequestEnvelope {
    /// Decodes an envelope in one pass when it is well formed and holds only the fields this
    /// implementation knows, each with its own wire type; returns `nil` for anything else.
    ///
    /// A `nil` says nothing about validity: ``init(decoding:)`` then decodes it the careful way, with
    /// protobuf-java's error texts. The two agree on every envelope this one accepts.
    public static func wellFormed(_ payload: ByteBuffer) -> RequestEnvelope? {
        payload.withUnsafeReadableBytes { raw -> RequestEnvelope? in
            var reader = ProtoReader(raw: raw)
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
                    guard let range = reader.delimited(within: bodyEnd) else { return nil }
                    requestRange = range
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
