import NIOCore
import TubeMQWire

/// Client-side connection handler: cuts the bytes read into reply frames, hands each to its
/// ``RPCConnection``, and fails the connection's calls when the channel goes away.
///
/// It decodes frames itself (``FrameDecoder/next(from:)``) rather than behind a `ByteToMessageHandler`,
/// so a reply costs no trip through the pipeline and no boxing. Requests do not pass through it:
/// ``RPCConnection`` writes framed bytes to the channel itself.
final class RPCClientHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: `decoder` and `leftover` are touched only on the channel's event loop.
    typealias InboundIn = ByteBuffer

    /// The connection whose calls this channel carries.
    let connection: RPCConnection
    private var decoder = FrameDecoder()
    /// The start of a frame whose end has not arrived yet.
    private var leftover: ByteBuffer?
    /// Whether any byte has come from the server.
    private var heardFromServer = false

    init(connection: RPCConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        heardFromServer = true
        var buffer = unwrapInboundIn(data)
        if var earlier = leftover {
            leftover = nil
            earlier.writeBuffer(&buffer)
            buffer = earlier
        }
        var frames: [Frame] = []
        do {
            while let frame = try decoder.next(from: &buffer) { frames.append(frame) }
        } catch {
            connection.complete(frames)
            connection.fail(
                RPCError(.connectionFailed, "bad reply stream from \(connection.address)", underlying: error)
            )
            context.close(promise: nil)
            return
        }
        if !frames.isEmpty { connection.complete(frames) }
        if buffer.readableBytes > 0 {
            // A copy of its own: the frames already read share the storage and may still be in use.
            var rest = context.channel.allocator.buffer(capacity: max(buffer.readableBytes, 4096))
            rest.writeBuffer(&buffer)
            leftover = rest
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.fail(RPCError(.connectionFailed, ending("closed")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connection.fail(RPCError(.connectionFailed, ending("failed"), underlying: error))
        context.close(promise: nil)
    }

    /// What became of the connection. Ended before the server sent anything: a server at its
    /// connection limit closes (or resets) new connections at once, and a TLS port drops a client
    /// speaking plain TCP; say so.
    private func ending(_ how: String) -> String {
        guard !heardFromServer else { return "connection to \(connection.address) \(how)" }
        return "connection to \(connection.address) \(how) before the server sent anything (a server at its "
            + "connection limit ends new connections so, and so does a port spoken to in the wrong protocol: "
            + "plain TCP to a TLS port, or TLS to a plain one)"
    }
}
