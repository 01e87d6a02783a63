public import NIOCore

/// Writes ``Frame``s, splitting every payload into chunks of 1...8192 bytes as all TubeMQ peers do.
public enum FrameEncoder {
    /// Appends the wire form of `frame` to `out`.
    ///
    /// - Throws: ``FrameError`` with code `frameTooLarge` when the payload exceeds `maxPayload`.
    public static func encode(
        _ frame: Frame,
        into out: inout ByteBuffer,
        maxPayload: Int = Frame.maxResponsePayload
    )
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
