import TubeMQCore

/// An RPC server could not listen on its address (in use, not local, no permission).
public struct RPCBindError: Error, Sendable, CustomStringConvertible {
    /// The host it was to listen on.
    public var host: String
    /// The port it was to listen on.
    public var port: Int
    /// Why the bind failed.
    public var underlying: any Error

    /// Creates the error.
    public init(host: String, port: Int, underlying: any Error) {
        self.host = host
        self.port = port
        self.underlying = underlying
    }

    public var description: String {
        // NIO's own text of a system error is `bind(descriptor:ptr:bytes:): Address already in use)
        // (errno: 98)`: give the system's reason alone.
        "cannot serve RPC on \(host):\(port): \(SystemErrorText.of(underlying))"
    }
}
