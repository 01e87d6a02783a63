public import Logging
import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
import NIOSSL
import TubeMQWire

/// A TubeMQ RPC server: frames over TCP, one pipeline per connection, many calls in flight per connection.
///
/// Bad frames (wrong token, oversize list, bad chunk length) close that connection only; bad requests
/// get an exception reply and the connection stays open. Idle connections close after
/// ``RPCServerConfiguration/idleTimeout``.
public final class RPCServer: Sendable {
    private let channel: any Channel
    private let connections: NIOLockedValueBox<OpenConnections>
    private let logger: Logger
    private let limits: RPCServerLimits

    /// The bound address.
    public var localAddress: SocketAddress? { channel.localAddress }
    /// The bound port (useful with port 0).
    public var localPort: Int { channel.localAddress?.port ?? 0 }

    private init(
        channel: any Channel,
        connections: NIOLockedValueBox<OpenConnections>,
        limits: RPCServerLimits,
        logger: Logger
    ) {
        self.limits = limits
        self.channel = channel
        self.connections = connections
        self.logger = logger
    }

    /// Binds and starts serving `service`.
    ///
    /// - Throws: ``RPCBindError`` when the address cannot be bound.
    public static func start(
        configuration: RPCServerConfiguration,
        service: any RPCService,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> RPCServer {
        let connections = NIOLockedValueBox(OpenConnections())
        let idle = configuration.idleTimeout
        let handshakeTimeout = configuration.tlsHandshakeTimeout
        let maxPayload = configuration.maxResponsePayload
        let limits = RPCServerLimits(configuration: configuration)
        let tls = configuration.tls
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { child in
                let key = ObjectIdentifier(child)
                let address = child.remoteAddress?.ipAddress ?? "?"
                let refusal = connections.withLockedValue { open -> (String, Int)? in
                    guard open.channels.count < limits.maxConnections else {
                        return ("the server is at its connection limit", limits.maxConnections)
                    }
                    guard open.countByAddress[address, default: 0] < limits.maxConnectionsPerAddress else {
                        return ("its address is at the per-address connection limit", limits.maxConnectionsPerAddress)
                    }
                    open.channels[key] = child
                    open.countByAddress[address, default: 0] += 1
                    return nil
                }
                if let (reason, limit) = refusal {
                    limits.warn(
                        "refusing connection: \(reason)",
                        metadata: [
                            "tubemq.peer": "\(child.remoteAddress.map { "\($0)" } ?? "?")",
                            "tubemq.limit": "\(limit)",
                        ],
                        logger: logger
                    )
                    return child.close()
                }
                child.closeFuture.whenComplete { _ in
                    connections.withLockedValue { open in
                        open.channels[key] = nil
                        let remaining = open.countByAddress[address, default: 1] - 1
                        open.countByAddress[address] = remaining > 0 ? remaining : nil
                    }
                }
                return child.eventLoop.makeCompletedFuture {
                    if let tls {
                        try child.pipeline.syncOperations.addHandlers([
                            NIOSSLServerHandler(context: tls), TLSHandshakeTimeout(timeout: handshakeTimeout),
                        ])
                    }
                    try child.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: idle),
                        FlushCoalescingHandler(),
                        RPCServerHandler(
                            service: service,
                            maxResponsePayload: maxPayload,
                            limits: limits,
                            logger: logger
                        ),
                    ])
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            throw RPCBindError(host: configuration.host, port: configuration.port, underlying: error)
        }
        logger.info(
            "RPC server listening",
            metadata: ["tubemq.address": "\(channel.localAddress.map { "\($0)" } ?? "?")"]
        )
        return RPCServer(channel: channel, connections: connections, limits: limits, logger: logger)
    }

    /// The bytes all connections buffer now for frames still arriving (bounded by
    /// ``RPCServerConfiguration/maxBufferedBytes``).
    public var bufferedBytes: Int { limits.bufferedBytes }

    /// The number of open client connections.
    public var connectionCount: Int { connections.withLockedValue { $0.channels.count } }

    /// Stops accepting, closes every connection, and returns when all are closed.
    public func shutdown() async {
        try? await channel.close()
        let open = connections.withLockedValue { Array($0.channels.values) }
        for connection in open {
            try? await connection.close()
        }
        logger.info("RPC server stopped")
    }
}

/// The open connections of an ``RPCServer``, and how many come from each address.
struct OpenConnections {
    var channels: [ObjectIdentifier: any Channel] = [:]
    var countByAddress: [String: Int] = [:]
}
