public import NIOCore

/// Splits a byte stream into ``Frame``s, reassembling their chunks.
///
/// Limits are checked before anything is allocated: the token must match, the list size must be
/// within `0...maxListSize`, and every chunk length within `0...maxFrameBytes` with the running total
/// not past `maxFrameBytes` (an empty chunk adds nothing; the Java decoder accepts it too). A violation throws ``FrameError``; the connection handlers then close
/// the connection. They run the decoder over each read themselves (``next(from:)``), with no
/// `ByteToMessageHandler` and no `NIOAny` box per frame.
public struct FrameDecoder: Sendable {
    /// The largest list size accepted.
    public let maxListSize: Int
    /// The largest total payload accepted, summed over all chunks.
    public let maxFrameBytes: Int

    private enum State: Sendable {
        case header
        case chunks(serial: UInt32, remaining: Int, total: Int)
    }

    private var state: State = .header
    /// The chunks of the frame being reassembled, held outside ``state`` so that appending to it
    /// never copies what is already there.
    private var payload: ByteBuffer?

    /// Creates a decoder with the Java server's limits (3584 chunks, 28 MiB).
    public init(maxListSize: Int = Frame.maxListSize, maxFrameBytes: Int = Frame.maxListSize * Frame.maxChunkLength) {
        self.maxListSize = maxListSize
        self.maxFrameBytes = maxFrameBytes
    }

    /// Consumes bytes from `buffer` and returns the next complete frame, or `nil` when more bytes are needed.
    ///
    /// - Throws: ``FrameError`` on a malformed stream; the decoder must not be used afterwards.
    public mutating func next(from buffer: inout ByteBuffer) throws(FrameError) -> Frame? {
        while true {
            switch state {
            case .header:
                guard buffer.readableBytes >= Frame.headerLength,
                    let token = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
                    let serial = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt32.self),
                    let listSize = buffer.getInteger(at: buffer.readerIndex + 8, as: Int32.self)
                else {
                    if buffer.readableBytes >= 4,
                        let token = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
                        token != Frame.beginToken
                    {
                        throw Self.badToken(token)
                    }
                    return nil
                }
                guard token == Frame.beginToken else { throw Self.badToken(token) }
                guard listSize >= 0, Int(listSize) <= maxListSize else {
                    throw FrameError(.listTooLong, "frame list size \(listSize) is outside 0...\(maxListSize)")
                }
                buffer.moveReaderIndex(forwardBy: Frame.headerLength)
                if listSize == 0 { return Frame(serialNumber: serial, payload: ByteBuffer()) }
                state = .chunks(serial: serial, remaining: Int(listSize), total: 0)

            case .chunks(let serial, let remaining, let total):
                guard let length = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
                guard length >= 0, Int(length) <= maxFrameBytes - total else {
                    throw FrameError(
                        .badChunkLength,
                        "chunk length \(length) is outside 0...\(maxFrameBytes - total) (frame serial \(serial))"
                    )
                }
                if length == 0 {
                    buffer.moveReaderIndex(forwardBy: 4)
                    if remaining == 1 {
                        state = .header
                        return Frame(serialNumber: serial, payload: payload.take() ?? ByteBuffer())
                    }
                    state = .chunks(serial: serial, remaining: remaining - 1, total: total)
                    continue
                }
                guard buffer.readableBytes >= 4 + Int(length) else { return nil }
                buffer.moveReaderIndex(forwardBy: 4)
                guard let chunk = buffer.readSlice(length: Int(length)) else { return nil }
                if payload == nil && remaining == 1 {
                    state = .header
                    return Frame(serialNumber: serial, payload: chunk)  // one chunk: no copy
                }
                // Taken out so that the buffer is uniquely referenced (appending never copies what is there).
                // The first chunk reserves room for every chunk to come at its size (the sender's chunk
                // size), up to 1 MiB: a peer must send more than it announces to make the buffer grow.
                var assembled =
                    payload.take()
                    ?? ByteBufferAllocator().buffer(
                        capacity: min(Int(length) * remaining, maxFrameBytes - total, Self.maxReservation)
                    )
                assembled.writeImmutableBuffer(chunk)
                if remaining == 1 {
                    state = .header
                    return Frame(serialNumber: serial, payload: assembled)
                }
                payload = assembled
                state = .chunks(serial: serial, remaining: remaining - 1, total: total + Int(length))
            }
        }
    }

    /// The bytes held for the frame being reassembled (its chunks so far).
    public var bufferedBytes: Int { payload?.capacity ?? 0 }

    /// Whether a frame's header was read and its chunks are still to come.
    public var isInFrame: Bool {
        if case .header = state { return false }
        return true
    }

    private static let maxReservation = 1 << 20

    private static func badToken(_ token: UInt32) -> FrameError {
        // A TLS record (content type 0x14...0x17, version 0x03xx) where a frame was expected: one side
        // speaks TLS to a plain port, a mistake worth naming.
        let looksLikeTLS = (0x14...0x17).contains(token >> 24) && (token >> 16) & 0xFF == 0x03
        let hint = looksLikeTLS ? " (these bytes are TLS: the peer speaks TLS and this side plain TCP)" : ""
        return FrameError(.badToken, "frame begins with 0x\(String(token, radix: 16)), expected 0xff7ff4fe\(hint)")
    }
}
