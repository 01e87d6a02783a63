import NIOCore
import NIOPosix
import TubeMQWire

/// A plain TCP connection that writes arbitrary bytes and reports how the server reacted.
enum RawConnection {
    /// What the server did with the bytes.
    enum Outcome: Sendable {
        /// It answered with these frames (at least one).
        case replied([Frame])
        /// It closed the connection without a frame.
        case closed
        /// It neither answered nor closed within the wait.
        case silent
        /// It sent bytes that are not TubeMQ frames.
        case garbled(String)
    }

    /// Connects to `host:port`, writes `bytes`, and waits up to `wait` for a frame or the close.
    ///
    /// - Throws: ``ConformanceError`` `clientFailure` when the connection cannot be opened.
    static func exchange(
        _ bytes: [UInt8],
        host: String,
        port: Int,
        wait: Duration
    ) async throws(ConformanceError)
        -> Outcome
    {
        try await exchange(bytes, host: host, port: port, wait: wait) { _ in }
    }

    /// Connects to `host:port`, writes `bytes`, waits up to `wait` for a frame or the close, and when the
    /// server stayed silent runs `whileSilent` with the connection still open (it may write more to it).
    ///
    /// - Throws: ``ConformanceError`` `clientFailure` when the connection cannot be opened; whatever
    ///   `whileSilent` throws.
    static func exchange(
        _ bytes: [UInt8],
        host: String,
        port: Int,
        wait: Duration,
        whileSilent: (NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws(ConformanceError) -> Void
    ) async throws(ConformanceError)
        -> Outcome
    {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ConformanceError(.clientFailure, "cannot connect to \(host):\(port)", underlying: error)
        }
        let result: (outcome: Outcome, failure: ConformanceError?)
        do {
            result = try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(bytes: bytes))
                let outcome = await withTaskGroup(of: Outcome.self) { group in
                    group.addTask { await read(inbound) }
                    group.addTask {
                        try? await Task.sleep(for: wait)
                        return .silent
                    }
                    let first = await group.next() ?? .silent
                    group.cancelAll()
                    return first
                }
                guard case .silent = outcome else { return (outcome, nil) }
                do throws(ConformanceError) {
                    try await whileSilent(outbound)
                    return (outcome, nil)
                } catch {
                    return (outcome, error)
                }
            }
        } catch {
            // Writing failed: the server had already closed the connection.
            return .closed
        }
        if let failure = result.failure { throw failure }
        return result.outcome
    }

    private static func read(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async -> Outcome {
        var decoder = FrameDecoder()
        var pending = ByteBuffer()
        var frames: [Frame] = []
        do {
            for try await chunk in inbound {
                pending.writeImmutableBuffer(chunk)
                while let frame = try decoder.next(from: &pending) { frames.append(frame) }
                if !frames.isEmpty { return .replied(frames) }
            }
        } catch let error as FrameError {
            return .garbled("\(error)")
        } catch {
            if Task.isCancelled { return .silent }
        }
        return frames.isEmpty ? .closed : .replied(frames)
    }

    /// A frame around `chunks`, with a chosen token and list size (which may lie about the chunks).
    static func frame(
        serial: UInt32,
        chunks: [[UInt8]],
        token: UInt32 = Frame.beginToken,
        listSize: UInt32? = nil
    )
        -> [UInt8]
    {
        var buffer = ByteBuffer()
        buffer.writeInteger(token)
        buffer.writeInteger(serial)
        buffer.writeInteger(listSize ?? UInt32(chunks.count))
        for chunk in chunks {
            buffer.writeInteger(UInt32(chunk.count))
            buffer.writeBytes(chunk)
        }
        return Array(buffer.readableBytesView)
    }

    /// A well-formed request frame for method `method` with `body` as its request bytes.
    static func request(serial: UInt32, method: Int32, serviceType: Int32, body: [UInt8]?) -> [UInt8] {
        let envelope = RequestEnvelope(
            serviceType: serviceType,
            method: method,
            timeout: 10_000,
            request: body.map { ByteBuffer(bytes: $0) }
        )
        return frame(serial: serial, chunks: [Array(envelope.encoded.readableBytesView)])
    }
}
