import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on 127.0.0.1 in front of a server that can be made to swallow every byte in both
/// directions: the client's connection stays up but nothing gets through, as in a network partition.
final class BlackholeProxy: Sendable {
    private let blackholed = Mutex(false)
    private let listener = Mutex<(any Channel)?>(nil)

    /// Starts a proxy to `127.0.0.1:targetPort`; returns its own port.
    func start(targetPort: Int) async throws -> Int {
        let proxy = self
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                inbound.eventLoop.makeCompletedFuture {
                    try inbound.pipeline.syncOperations.addHandler(
                        Relay(peer: nil, proxy: proxy, targetPort: targetPort)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        listener.withLock { $0 = channel }
        return channel.localAddress?.port ?? 0
    }

    /// Starts or stops swallowing traffic.
    func setBlackholed(_ value: Bool) {
        blackholed.withLock { $0 = value }
    }

    var isBlackholed: Bool { blackholed.withLock { $0 } }

    func stop() async {
        let channel = listener.withLock { $0 }
        try? await channel?.close()
    }

    /// Forwards what one side reads to the other. The client side opens the server side when it
    /// becomes active and starts reading once that connection is up.
    private final class Relay: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var peer: (any Channel)?
        let proxy: BlackholeProxy
        let targetPort: Int?

        init(peer: (any Channel)?, proxy: BlackholeProxy, targetPort: Int? = nil) {
            self.peer = peer
            self.proxy = proxy
            self.targetPort = targetPort
        }

        func channelActive(context: ChannelHandlerContext) {
            context.fireChannelActive()
            guard let targetPort else { return }
            let inbound = context.channel
            let proxy = self.proxy
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            ClientBootstrap(group: context.eventLoop)
                .channelInitializer { outbound in
                    outbound.eventLoop.makeCompletedFuture {
                        try outbound.pipeline.syncOperations.addHandler(Relay(peer: inbound, proxy: proxy))
                    }
                }
                .connect(host: "127.0.0.1", port: targetPort)
                .whenComplete { result in
                    let (relay, context) = bound.value
                    switch result {
                    case .success(let outbound):
                        relay.peer = outbound
                        context.channel.setOption(.autoRead, value: true).whenComplete { _ in bound.value.1.read() }
                    case .failure:
                        context.close(promise: nil)
                    }
                }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !proxy.isBlackholed else { return }
            peer?.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            peer?.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
