public import TubeMQWire

/// A failed RPC call, as the client sees it.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// The server replied with an exception (see ``RPCError/remote``).
        public static let remoteException = Code(name: "remoteException")
        /// No reply arrived within the call's timeout.
        public static let timeout = Code(name: "timeout")
        /// The connection could not be opened or was lost before the reply.
        public static let connectionFailed = Code(name: "connectionFailed")
        /// The reply could not be decoded (bad envelope, wrong method, undecodable message).
        public static let badResponse = Code(name: "badResponse")
        /// The request could not be encoded (a required field is unset).
        public static let badRequest = Code(name: "badRequest")
        /// The client or server was shut down.
        public static let shutdown = Code(name: "shutdown")
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// A description, with the remote address where known.
    public var message: String
    /// The server's exception, for ``Code/remoteException``.
    public var remote: RemoteException?
    /// The underlying error, if any.
    public var underlying: (any Error)?
    /// Whether the request had been handed to the connection when the call failed: a timeout, or a
    /// connection lost while the call waited for its reply. The server may then have received the
    /// request and carried it out (a send may have been stored). False when it never left the client
    /// (a connect that failed, a connection already known to be gone).
    public var requestSent: Bool

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        remote: RemoteException? = nil,
        underlying: (any Error)? = nil,
        requestSent: Bool? = nil
    ) {
        self.code = code
        self.message = message
        self.remote = remote
        self.underlying = underlying
        self.requestSent = requestSent ?? (code == .timeout)
    }

    /// Whether the server is a standby master (the client should try another).
    public var isStandby: Bool { remote?.isStandby ?? false }

    /// The code and message, with the remote exception or the underlying error (a TLS handshake's
    /// reason, a refused connect) when there is one.
    public var description: String {
        if let remote { return "RPC \(code): \(message) (\(remote))" }
        if let underlying { return "RPC \(code): \(message): \(underlying)" }
        return "RPC \(code): \(message)"
    }
}
