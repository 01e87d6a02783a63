import NIOCore

/// Splits the inbound byte stream into frames: a 4-byte big-endian length, then that many bytes.
///
/// A negative length or one above ``maximumLength`` throws ``ZooKeeperError/Code/frameTooLarge``;
/// the connection handler then closes the connection (the process never traps on bad input).
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// The default largest accepted payload: ZooKeeper's `jute.maxbuffer` default (0xfffff).
    static let defaultMaximumLength = 1_048_575

    /// The largest accepted payload length.
    let maximumLength: Int

    init(maximumLength: Int = FrameDecoder.defaultMaximumLength) {
        self.maximumLength = maximumLength
    }

    /// Takes one complete frame's payload off the front of `buffer`, or returns `nil` until one is there.
    ///
    /// - Throws: ``ZooKeeperError`` `frameTooLarge` for a length below 0 or above ``maximumLength``.
    func next(from buffer: inout ByteBuffer) throws(ZooKeeperError) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        guard length >= 0, Int(length) <= maximumLength else {
            throw ZooKeeperError(.frameTooLarge, "inbound frame length \(length) outside 0...\(maximumLength)")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(length))
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(NIOAny(frame))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws
        -> DecodingState
    {
        try decode(context: context, buffer: &buffer)
    }
}
