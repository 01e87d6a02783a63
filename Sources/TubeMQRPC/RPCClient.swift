import Logging
public import NIOCore
import NIOConcurrencyHelpers
public import NIOPosix
public import SwiftProtobuf
public import TubeMQWire

/// A TubeMQ RPC client: one connection per remote address, calls multiplexed on it by serial number.
///
/// Connections open on first use and are opened again on the next call after a failure. Every call
/// has its own timeout. Safe to share between tasks.
public final class RPCClient: Sendable {
    /// Settings of a client.
    public struct Configuration: Sendable {
        /// The timeout of a call when none is given.
        public var defaultTimeout: TimeAmount
        /// How long a connection attempt may take.
        public var connectTimeout: TimeAmount
        /// The protocol version sent in every request header.
        public var protocolVersion: Int32

        /// Creates a configuration.
        public init(
            defaultTimeout: TimeAmount = .seconds(10),
            connectTimeout: TimeAmount = .seconds(3),
            protocolVersion: Int32 = RequestEnvelope.currentProtocolVersion
        ) {
            self.defaultTimeout = defaultTimeout
            self.connectTimeout = connectTimeout
            self.protocolVersion = protocolVersion
        }
    }

    private let group: any EventLoopGroup
    private let configuration: Configuration
    private let state: NIOLockedValueBox<State>

    private struct State {
        var connections: [String: EventLoopFuture<any Channel>] = [:]
        var isShutdown = false
    }

    /// Creates a client.
    public init(
        configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.group = eventLoopGroup
        self.configuration = configuration
        self.state = NIOLockedValueBox(State())
    }

    /// Calls `method` on the server at `host:port` and decodes its reply.
    ///
    /// - Parameters:
    ///   - serviceType: the header's service type; the method's own by default.
    ///   - timeout: how long to wait for the reply; the configuration's default when `nil`.
    /// - Throws: ``RPCError``: `remoteException` (with the server's exception), `timeout`,
    ///   `connectionFailed`, `badResponse` or `badRequest`.
    public func call<Response: SwiftProtobuf.Message>(
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        host: String,
        port: Int,
        serviceType: ServiceType? = nil,
        timeout: TimeAmount? = nil,
        as responseType: Response.Type = Response.self
    ) async throws(RPCError) -> Response {
        let bytes: [UInt8]
        do {
            bytes = try request.serializedBytes()
        } catch {
            throw RPCError(.badRequest, "cannot encode \(method) request", underlying: error)
        }
        let envelope = try await raw(
            method: method.id,
            request: ByteBuffer(bytes: bytes),
            host: host,
            port: port,
            serviceType: serviceType ?? method.service,
            timeout: timeout
        )
        switch envelope {
        case .exception(let exception):
            throw RPCError(.remoteException, "\(method) failed at \(host):\(port)", remote: exception)
        case .success(let replyMethod, let data):
            guard replyMethod == method.id else {
                throw RPCError(.badResponse, "\(method) answered by method \(replyMethod) at \(host):\(port)")
            }
            do {
                return try Response(serializedBytes: data.readableBytesSpan)
            } catch {
                throw RPCError(.badResponse, "undecodable \(method) reply from \(host):\(port)", underlying: error)
            }
        }
    }

    /// Sends a raw request envelope (any method id, any body) and returns the raw reply envelope.
    ///
    /// For protocol tests and tools; ``call(_:_:host:port:serviceType:timeout:as:)`` is the typed form.
    ///
    /// - Throws: ``RPCError`` on timeout or connection failure.
    public func raw(
        method: Int32,
        request: ByteBuffer?,
        host: String,
        port: Int,
        serviceType: ServiceType?,
        timeout: TimeAmount? = nil,
        flag: Int32 = 0
    ) async throws(RPCError) -> ResponseEnvelope {
        let wait = timeout ?? configuration.defaultTimeout
        let envelope = RequestEnvelope(
            flag: flag,
            serviceType: serviceType?.rawValue,
            protocolVersion: configuration.protocolVersion,
            method: method,
            timeout: Int64(wait.nanoseconds / 1_000_000),
            request: request
        )
        let channel = try await connection(host: host, port: port)
        let promise = channel.eventLoop.makePromise(of: ResponseEnvelope.self)
        channel.writeAndFlush(OutboundCall(envelope: envelope, timeout: wait, promise: promise)).whenFailure { error in
            promise.fail(RPCError(.connectionFailed, "cannot send to \(host):\(port)", underlying: error))
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.connectionFailed, "call to \(host):\(port) failed", underlying: error)
        }
    }

    private func connection(host: String, port: Int) async throws(RPCError) -> any Channel {
        let key = "\(host):\(port)"
        let future: EventLoopFuture<any Channel>? = state.withLockedValue { state in
            guard !state.isShutdown else { return nil }
            if let existing = state.connections[key] { return existing }
            let created = self.connect(host: host, port: port, key: key)
            state.connections[key] = created
            return created
        }
        guard let future else { throw RPCError(.shutdown, "client is shut down") }
        do {
            let channel = try await future.get()
            if channel.isActive { return channel }
        } catch {
            forget(key: key, future: future)
            throw RPCError(.connectionFailed, "cannot connect to \(key)", underlying: error)
        }
        forget(key: key, future: future)
        return try await connection(host: host, port: port)
    }

    private func connect(host: String, port: Int, key: String) -> EventLoopFuture<any Channel> {
        let future = ClientBootstrap(group: group)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(FrameDecoder()),
                        MessageToByteHandler(FrameEncoder(maxPayload: Frame.maxListSize * Frame.maxChunkLength)),
                        FlushCoalescingHandler(),
                        RPCClientHandler(address: key),
                    ])
                }
            }
            .connect(host: host, port: port)
        future.whenSuccess { channel in
            channel.closeFuture.whenComplete { _ in self.forget(key: key, future: future) }
        }
        return future
    }

    private func forget(key: String, future: EventLoopFuture<any Channel>) {
        state.withLockedValue { state in
            if state.connections[key] === future { state.connections[key] = nil }
        }
    }

    /// Closes every connection; calls after this fail with `shutdown`.
    public func shutdown() async {
        let futures = state.withLockedValue { state -> [EventLoopFuture<any Channel>] in
            state.isShutdown = true
            defer { state.connections.removeAll() }
            return Array(state.connections.values)
        }
        for future in futures {
            if let channel = try? await future.get() { try? await channel.close() }
        }
    }

    /// Closes the connection to one address, failing its calls in flight (the next call reconnects).
    public func disconnect(host: String, port: Int) async {
        let key = "\(host):\(port)"
        let future = state.withLockedValue { $0.connections.removeValue(forKey: key) }
        if let channel = try? await future?.get() { try? await channel.close() }
    }
}
