public import Logging
public import NIOCore
public import SwiftProtobuf
public import TubeMQWire

/// A server-side implementation of one or more TubeMQ services (master, or broker read + write).
///
/// The server decodes and validates every request before calling ``handle(_:context:)``; handlers
/// run concurrently, and replies go out in whatever order they finish.
public protocol RPCService: Sendable {
    /// The service types this implementation serves; requests for others get "No service N found".
    var serviceTypes: Set<ServiceType> { get }

    /// Handles one call and returns the response message of `call.method.responseType`.
    ///
    /// - Throws: a ``RemoteException`` to reply with that exception; any other error is replied to as
    ///   an ERROR `java.lang.Exception` carrying its description.
    func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message
}

/// What a handler knows about the connection a call came on.
public struct RPCCallContext: Sendable {
    /// The peer's address.
    public var remoteAddress: SocketAddress?
    /// The local address the call arrived at.
    public var localAddress: SocketAddress?
    /// A logger with the connection's metadata.
    public var logger: Logger

    /// Creates a context.
    public init(remoteAddress: SocketAddress?, localAddress: SocketAddress?, logger: Logger) {
        self.remoteAddress = remoteAddress
        self.localAddress = localAddress
        self.logger = logger
    }

    /// The peer's IP address as text, or an empty string.
    public var remoteIP: String { remoteAddress?.ipAddress ?? "" }
}
