public import NIOCore
public import NIOSSL
public import TubeMQWire

/// Settings of an ``RPCServer``.
public struct RPCServerConfiguration: Sendable {
    /// The address to bind; TubeMQ defaults to loopback unless configured.
    public var host: String
    /// The port to bind; `0` picks a free port (read it back from ``RPCServer/localPort``).
    public var port: Int
    /// Connections with no inbound bytes for this long are closed (`rpc.connect.read.idle.duration`).
    public var idleTimeout: TimeAmount
    /// A frame begun must be whole within this long, or the connection is closed: a peer trickling a
    /// byte now and then never lets ``idleTimeout`` pass, and would hold the connection for ever.
    public var frameTimeout: TimeAmount = .seconds(60)
    /// The largest response payload sent; larger replies become an exception reply (the C++ client's limit is 8 MiB).
    public var maxResponsePayload: Int
    /// The most open connections, in all and from one IP address.
    public var connectionLimits = RPCConnectionLimits()
    /// The most bytes one connection may buffer for frames in progress; it is closed past it.
    /// At least a whole frame (28 MiB, held in a buffer of up to 32 MiB) and one read.
    public var maxBufferedBytesPerConnection: Int = 64 << 20
    /// The most bytes all connections together may buffer for frames in progress; a connection
    /// that would pass it is closed.
    public var maxBufferedBytes: Int = 256 << 20
    /// Serve TLS with this context (a `[tlsSetting]` listener); `nil` serves plain TCP. A peer that
    /// does not complete the handshake (plaintext, garbage, an untrusted client certificate under
    /// two-way auth) is dropped.
    public var tls: NIOSSLContext? = nil
    /// How long a peer on a TLS listener has to complete the handshake before it is dropped (the idle
    /// timeout counts only requests, which such a peer never sends).
    public var tlsHandshakeTimeout: TimeAmount = .seconds(10)

    /// Creates a configuration; the defaults are the real server's.
    public init(
        host: String = "127.0.0.1",
        port: Int,
        idleTimeout: TimeAmount = .seconds(300),
        maxResponsePayload: Int = Frame.maxResponsePayload
    ) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.maxResponsePayload = maxResponsePayload
    }
}
