public import NIOCore

extension RequestEnvelope {
    /// The number of bytes ``encode(into:)`` writes.
    public var encodedLength: Int {
        let conn = 1 + protobufVarintSize(UInt64(bitPattern: Int64(flag)))
        var header = 0
        if let serviceType { header += 1 + protobufVarintSize(UInt64(bitPattern: Int64(serviceType))) }
        if let protocolVersion { header += 1 + protobufVarintSize(UInt64(bitPattern: Int64(protocolVersion))) }
        var body = 1 + protobufVarintSize(UInt64(bitPattern: Int64(method)))
        if let timeout { body += 1 + protobufVarintSize(UInt64(bitPattern: timeout)) }
        if let request {
            body += 1 + protobufVarintSize(UInt64(request.readableBytes)) + request.readableBytes
        }
        return Self.delimited(conn) + Self.delimited(header) + Self.delimited(body)
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
            payload.reserveCapacity(length)
            encode(into: &payload)
            try FrameEncoder.encode(Frame(serialNumber: serialNumber, payload: payload), into: &out, maxPayload: maxPayload)
            return
        }
        guard length <= maxPayload else {
            throw FrameError(.frameTooLarge, "frame payload of \(length) bytes exceeds the \(maxPayload)-byte limit")
        }
        out.reserveCapacity(minimumWritableBytes: Frame.headerLength + 4 + length)
        out.writeInteger(Frame.beginToken)
        out.writeInteger(serialNumber)
        out.writeInteger(UInt32(1))
        out.writeInteger(UInt32(length))
        writeParts(into: &out)
    }

    /// Writes the three delimited messages with their lengths computed up front.
    private func writeParts(into out: inout ByteBuffer) {
        let flagValue = UInt64(bitPattern: Int64(flag))
        out.writeProtobufVarint(UInt64(1 + protobufVarintSize(flagValue)))
        out.writeInteger(UInt8(0x08))
        out.writeProtobufVarint(flagValue)

        var header = 0
        if let serviceType { header += 1 + protobufVarintSize(UInt64(bitPattern: Int64(serviceType))) }
        if let protocolVersion { header += 1 + protobufVarintSize(UInt64(bitPattern: Int64(protocolVersion))) }
        out.writeProtobufVarint(UInt64(header))
        if let serviceType {
            out.writeInteger(UInt8(0x08))
            out.writeProtobufVarint(signed: Int64(serviceType))
        }
        if let protocolVersion {
            out.writeInteger(UInt8(0x10))
            out.writeProtobufVarint(signed: Int64(protocolVersion))
        }

        var body = 1 + protobufVarintSize(UInt64(bitPattern: Int64(method)))
        if let timeout { body += 1 + protobufVarintSize(UInt64(bitPattern: timeout)) }
        if let request { body += 1 + protobufVarintSize(UInt64(request.readableBytes)) + request.readableBytes }
        out.writeProtobufVarint(UInt64(body))
        out.writeInteger(UInt8(0x08))
        out.writeProtobufVarint(signed: Int64(method))
        if let timeout {
            out.writeInteger(UInt8(0x10))
            out.writeProtobufVarint(signed: timeout)
        }
        if let request {
            out.writeInteger(UInt8(0x1A))
            out.writeProtobufVarint(UInt64(request.readableBytes))
            out.writeImmutableBuffer(request)
        }
    }

    private static func delimited(_ length: Int) -> Int {
        protobufVarintSize(UInt64(length)) + length
    }
}
