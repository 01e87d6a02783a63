public import NIOCore

/// Writes ``Frame``s, splitting every payload into chunks of 1...8192 bytes as all TubeMQ peers do.
public struct FrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = Frame

    /// The largest payload this encoder sends; larger frames throw ``FrameError``.
    public let maxPayload: Int

    /// Creates an encoder. Servers keep the default (the C++ client's 8 MiB limit).
    public init(maxPayload: Int = Frame.maxResponsePayload) {
        self.maxPayload = maxPayload
    }

    public func encode(data: Frame, out: inout ByteBuffer) throws {
        try Self.encode(data, into: &out, maxPayload: maxPayload)
    }

    /// Appends the wire form of `frame` to `out`.
    ///
    /// - Throws: ``FrameError`` with code `frameTooLarge` when the payload exceeds `maxPayload`.
    public static func encode(_ frame: Frame, into out: inout ByteBuffer, maxPayload: Int = Frame.maxResponsePayload)
        throws(FrameError)
    {
        let length = frame.payload.readableBytes
        guard length <= maxPayload else {
            throw FrameError(.frameTooLarge, "frame payload of \(length) bytes exceeds the \(maxPayload)-byte limit")
        }
        if length > 0 && length <= Frame.maxChunkLength {
            // One chunk (every reply but fetched data): one capacity check, then plain stores.
            frame.payload.withUnsafeReadableBytes { payload in
                out.writeRaw(reserving: Frame.headerLength + 4 + length) { writer in
                    writer.uint32(Frame.beginToken)
                    writer.uint32(frame.serialNumber)
                    writer.uint32(1)
                    writer.uint32(UInt32(length))
                    writer.bytes(payload)
                }
            }
            return
        }
        let chunks = (length + Frame.maxChunkLength - 1) / Frame.maxChunkLength
        out.reserveCapacity(minimumWritableBytes: Frame.headerLength + 4 * chunks + length)
        out.writeInteger(Frame.beginToken)
        out.writeInteger(frame.serialNumber)
        out.writeInteger(UInt32(chunks))
        var offset = frame.payload.readerIndex
        var left = length
        while left > 0 {
            let size = min(left, Frame.maxChunkLength)
            out.writeInteger(UInt32(size))
            if let slice = frame.payload.getSlice(at: offset, length: size) {
                out.writeImmutableBuffer(slice)
            }
            offset += size
            left -= size
        }
    }
}
