import NIOCore
import NIOPosix
import TubeMQWire

/// A plain TCP connection for sending arbitrary bytes to a server and reading frames back.
struct RawConnection {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    static func connect(port: Int) async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return RawConnection(channel: channel)
    }

    enum Outcome {
        case frames([Frame])
        case closed(afterFrames: [Frame])
    }

    /// Writes `bytes`, then reads until `count` frames arrived or the server closed the connection.
    func exchange(_ bytes: [UInt8], expecting count: Int) async throws -> Outcome {
        try await channel.executeThenClose { inbound, outbound in
            // Nothing to write (an idle peer) must not race the server closing the connection first.
            if !bytes.isEmpty { try await outbound.write(ByteBuffer(bytes: bytes)) }
            var decoder = FrameDecoder()
            var pending = ByteBuffer()
            var frames: [Frame] = []
            for try await chunk in inbound {
                pending.writeImmutableBuffer(chunk)
                while let frame = try decoder.next(from: &pending) { frames.append(frame) }
                if frames.count >= count { return .frames(frames) }
            }
            return .closed(afterFrames: frames)
        }
    }
}

/// Frame bytes built by hand, including malformed ones.
enum RawFrames {
    static func frame(
        serial: UInt32,
        chunks: [[UInt8]],
        token: UInt32 = Frame.beginToken,
        listSize: Int32? = nil
    )
        -> [UInt8]
    {
        var buffer = ByteBuffer()
        buffer.writeInteger(token)
        buffer.writeInteger(serial)
        buffer.writeInteger(listSize ?? Int32(chunks.count))
        for chunk in chunks {
            buffer.writeInteger(UInt32(chunk.count))
            buffer.writeBytes(chunk)
        }
        return Array(buffer.readableBytesView)
    }

    static func request(serial: UInt32, method: Int32, serviceType: Int32? = 1, body: [UInt8]?) -> [UInt8] {
        let envelope = RequestEnvelope(
            serviceType: serviceType,
            method: method,
            timeout: 10_000,
            request: body.map { ByteBuffer(bytes: $0) }
        )
        return frame(serial: serial, chunks: [Array(envelope.encoded.readableBytesView)])
    }

    static func register(serial: UInt32, clientID: String) throws -> [UInt8] {
        var request = RegisterRequestP2M()
        request.clientID = clientID
        request.brokerCheckSum = -1
        request.hostName = "0"
        return self.request(serial: serial, method: 1, body: try request.serializedBytes())
    }
}
