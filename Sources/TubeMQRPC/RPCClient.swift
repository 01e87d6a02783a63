import Logging
import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
public import NIOSSL
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
        /// Speak TLS with this context (to a `[tlsSetting]` port); `nil` speaks plain TCP. The
        /// server's name is checked against the host called unless the context says otherwise.
        public var tls: NIOSSLContext? = nil

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

    private struct Endpoint: Hashable, Sendable {
        var host: String
        var port: Int
        var address: String { "\(host):\(port)" }
    }

    /// A connection being opened, or open.
    private enum Slot: Sendable {
        case connecting(EventLoopFuture<RPCConnection>)
        case ready(RPCConnection)
    }

    private struct State {
        var connections: [Endpoint: Slot] = [:]
        var isShutdown = false
    }

    /// The group connections are opened on when none is given: NIO's shared multi-threaded group.
    public static var defaultEventLoopGroup: any EventLoopGroup { MultiThreadedEventLoopGroup.singleton }

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
    nonisolated(nonsending) public func call<Response: SwiftProtobuf.Message>(
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        host: String,
        port: Int,
        serviceType: ServiceType? = nil,
        timeout: TimeAmount? = nil,
        as responseType: Response.Type = Response.self
    ) async throws(RPCError) -> Response {
        let data = try await call(
            method,
            encodedRequest: try Self.encode(request, for: method),
            host: host,
            port: port,
            serviceType: serviceType,
            timeout: timeout
        )
        do {
            return try Response(serializedBytes: data.readableBytesSpan)
        } catch {
            throw RPCError(.badResponse, "undecodable \(method) reply from \(host):\(port)", underlying: error)
        }
    }

    /// Serializes the request of a call to `method`.
    ///
    /// - Throws: ``RPCError`` `badRequest` when the message cannot be encoded (a required field unset).
    public static func encode(
        _ request: some SwiftProtobuf.Message,
        for method: RPCMethod
    ) throws(RPCError) -> ByteBuffer {
        do {
            let bytes: [UInt8] = try request.serializedBytes()
            return ByteBuffer(bytes: bytes)
        } catch {
            throw RPCError(.badRequest, "cannot encode \(method) request", underlying: error)
        }
    }

    /// Calls `method` with an already serialized request and returns the serialized reply message.
    ///
    /// For callers that encode and decode their messages by hand (the producer's sends); the checks are
    /// those of ``call(_:_:host:port:serviceType:timeout:as:)``.
    /// - Throws: ``RPCError``: `remoteException` (with the server's exception), `timeout`,
    ///   `connectionFailed`, `badResponse` (a reply for another method) or `badRequest`.
    nonisolated(nonsending) public func call(
        _ method: RPCMethod,
        encodedRequest: ByteBuffer,
        host: String,
        port: Int,
        serviceType: ServiceType? = nil,
        timeout: TimeAmount? = nil
    ) async throws(RPCError) -> ByteBuffer {
        let envelope = try await raw(
            method: method.id,
            request: encodedRequest,
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
            return data
        }
    }

    /// Sends a raw request envelope (any method id, any body) and returns the raw reply envelope.
    ///
    /// For protocol tests and tools; ``call(_:_:host:port:serviceType:timeout:as:)`` is the typed form.
    /// A call in flight is not abandoned when its task is cancelled: it ends with its reply, its timeout
    /// or the loss of its connection.
    ///
    /// - Throws: ``RPCError`` on timeout or connection failure.
    nonisolated(nonsending) public func raw(
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
        let endpoint = Endpoint(host: host, port: port)
        let connection: RPCConnection
        if let ready = try readyConnection(to: endpoint) {
            connection = ready
        } else {
            connection = try await self.connection(to: endpoint)
        }
        return try await connection.call(envelope, timeout: wait).get()
    }

    /// The open connection to `endpoint`, if there is one (the common case, without suspending).
    private func readyConnection(to endpoint: Endpoint) throws(RPCError) -> RPCConnection? {
        let (isShutdown, slot) = state.withLockedValue { ($0.isShutdown, $0.connections[endpoint]) }
        guard !isShutdown else { throw RPCError(.shutdown, "client is shut down") }
        guard case .ready(let connection)? = slot, connection.isOpen else { return nil }
        return connection
    }

    /// The open connection to `endpoint`, opening one when there is none.
    nonisolated(nonsending) private func connection(to endpoint: Endpoint) async throws(RPCError) -> RPCConnection {
        while true {
            let slot: Slot? = state.withLockedValue { state in
                guard !state.isShutdown else { return nil }
                if let existing = state.connections[endpoint] {
                    guard case .ready(let connection) = existing, !connection.isOpen else { return existing }
                }
                let created = Slot.connecting(self.connect(to: endpoint))
                state.connections[endpoint] = created
                return created
            }
            switch slot {
            case nil:
                throw RPCError(.shutdown, "client is shut down")
            case .ready(let connection):
                return connection
            case .connecting(let future):
                do {
                    let connection = try await future.get()
                    if connection.isOpen { return connection }
                    forget(endpoint, future, connection)
                } catch {
                    forget(endpoint, future)
                    throw RPCError(.connectionFailed, "cannot connect to \(endpoint.address)", underlying: error)
                }
            }
        }
    }

    private func connect(to endpoint: Endpoint) -> EventLoopFuture<RPCConnection> {
        let address = endpoint.address
        let tls = configuration.tls
        let future = ClientBootstrap(group: group)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let name = endpoint.host.first?.isNumber == true ? nil : endpoint.host
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: name)
                        )
                    }
                    let connection = RPCConnection(channel: channel, address: address)
                    try channel.pipeline.syncOperations.addHandler(RPCClientHandler(connection: connection))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .flatMapThrowing { channel in
                try channel.pipeline.syncOperations.handler(type: RPCClientHandler.self).connection
            }
        future.whenSuccess { connection in
            self.promote(endpoint, future, connection)
            connection.channel.closeFuture.whenComplete { _ in self.forget(endpoint, future, connection) }
        }
        return future
    }

    /// Marks the connection being opened to `endpoint` as open.
    private func promote(_ endpoint: Endpoint, _ future: EventLoopFuture<RPCConnection>, _ connection: RPCConnection) {
        state.withLockedValue { state in
            guard case .connecting(let held) = state.connections[endpoint], held === future, connection.isOpen else {
                return
            }
            state.connections[endpoint] = .ready(connection)
        }
    }

    /// Drops the slot of `endpoint` when it still holds `future` or the `connection` it opened.
    private func forget(
        _ endpoint: Endpoint,
        _ future: EventLoopFuture<RPCConnection>,
        _ connection: RPCConnection? = nil
    ) {
        state.withLockedValue { state in
            switch state.connections[endpoint] {
            case .connecting(let held) where held === future:
                state.connections[endpoint] = nil
            case .ready(let held) where held === connection:
                state.connections[endpoint] = nil
            default:
                break
            }
        }
    }

    /// Closes every connection; calls after this fail with `shutdown`.
    public func shutdown() async {
        let slots = state.withLockedValue { state -> [Slot] in
            state.isShutdown = true
            defer { state.connections.removeAll() }
            return Array(state.connections.values)
        }
        for slot in slots { await Self.close(slot) }
    }

    /// Closes the connection to one address, failing its calls in flight (the next call reconnects).
    public func disconnect(host: String, port: Int) async {
        let slot = state.withLockedValue { $0.connections.removeValue(forKey: Endpoint(host: host, port: port)) }
        if let slot { await Self.close(slot) }
    }

    private static func close(_ slot: Slot) async {
        switch slot {
        case .ready(let connection):
            try? await connection.channel.close()
        case .connecting(let future):
            if let connection = try? await future.get() { try? await connection.channel.close() }
        }
    }
}
