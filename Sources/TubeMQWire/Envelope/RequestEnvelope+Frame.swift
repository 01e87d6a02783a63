public import NIOCore

extension RequestEnvelope {
    /// The number of bytes ``encode(into:)`` writes.
    public var encodedLength: Int {
        let parts = partLengths
        return Self.delimited(parts.conn) + Self.delimited(parts.header) + Self.delimited(parts.body)
    }

    /// The lengths of the three delimited messages: `RpcConnHeader`, `RequestHeader`, `RequestBody`.
    private var partLengths: (conn: Int, header: Int, body: Int) {
        let conn = 1 + protobufVarintSize(UInt64(bitPattern: Int64(flag)))
        var header = 0
        if let serviceType { header += 1 + protobufVarintSize(UInt64(bitPattern: Int64(serviceType))) }
        if let protocolVersion { header += 1 + protobufVarintSize(UInt64(bitPattern: Int64(protocolVersion))) }
        var body = 1 + protobufVarintSize(UInt64(bitPattern: Int64(method)))
        if let timeout { body += 1 + protobufVarintSize(UInt64(bitPattern: timeout)) }
        if let request {
            body += 1 + protobufVarintSize(UInt64(request.readableBytes)) + request.readableBytes
        }
        return (conn, header, body)
    }

    /// Appends the whole request frame: the frame header, the chunk lengths and the envelope.
    ///
    /// The bytes are those of `FrameEncoder.encode(Frame(serialNumber:payload: encoded), ...)`; an envelope
    /// that fits one chunk (every ordinary call) is written in place, without an intermediate buffer.
    /// - Throws: ``FrameError`` `frameTooLarge` when the envelope exceeds `maxPayload` (nothing is written).
    public func writeFrame(
        serialNumber: UInt32,
        into out: inout ByteBuffer,
        maxPayload: Int = Frame.maxListSize * Frame.maxChunkLength
    ) throws(FrameError) {
        let length = encodedLength
        guard length <= Frame.maxChunkLength else {
            var payload = ByteBuffer()
            encode(into: &payload)
            try FrameEncoder.encode(
                Frame(serialNumber: serialNumber, payload: payload),
                into: &out,
                maxPayload: maxPayload
            )
            return
        }
        guard length <= maxPayload else {
            throw FrameError(.frameTooLarge, "frame payload of \(length) bytes exceeds the \(maxPayload)-byte limit")
        }
        let total = Frame.headerLength + 4 + length
        out.writeRaw(reserving: total) { writer in
            writer.uint32(Frame.beginToken)
            writer.uint32(serialNumber)
            writer.uint32(1)
            writer.uint32(UInt32(length))
            writeParts(into: &writer)
        }
    }

    /// Writes the three delimited messages, their lengths computed up front.
    func writeParts(into writer: inout RawByteWriter) {
        let parts = partLengths
        writer.varint(UInt64(parts.conn))
        writer.byte(0x08)
        writer.varint(signed: Int64(flag))

        writer.varint(UInt64(parts.header))
        if let serviceType {
            writer.byte(0x08)
            writer.varint(signed: Int64(serviceType))
        }
        if let protocolVersion {
            writer.byte(0x10)
            writer.varint(signed: Int64(protocolVersion))
        }

        writer.varint(UInt64(parts.body))
        writer.byte(0x08)
        writer.varint(signed: Int64(method))
        if let timeout {
            writer.byte(0x10)
            writer.varint(signed: timeout)
        }
        if let request {
            writer.byte(0x1A)
            writer.varint(UInt64(request.readableBytes))
            request.withUnsafeReadableBytes { writer.bytes($0) }
        }
    }

    private static func delimited(_ length: Int) -> Int {
        protobufVarintSize(UInt64(length)) + length
    }
}
