import NIOCore
import NIOPosix

/// A TCP server on 127.0.0.1 that answers every connection's first bytes with a scripted reply, to
/// feed the client frames a real ZooKeeper never sends.
struct FakeServer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    /// Starts a server whose connections write `reply` once the client has sent anything.
    static func start(reply: [UInt8]) async throws -> FakeServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ScriptedReply(reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FakeServer(channel: channel)
    }

    func stop() async {
        try? await channel.close()
    }

    private final class ScriptedReply: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let reply: [UInt8]
        var answered = false

        init(reply: [UInt8]) {
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            answered = true
            context.writeAndFlush(NIOAny(ByteBuffer(bytes: reply)), promise: nil)
        }
    }
}
