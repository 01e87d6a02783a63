/// How many connections an ``RPCServer`` keeps open: in all, and from one IP address. A connection
/// past either is closed as soon as it is accepted, with a log line.
public struct RPCConnectionLimits: Sendable, Hashable {
    /// The most open connections.
    public var maxConnections: Int
    /// The most open connections from one IP address. So one host holding connections open (idle, or
    /// sending a byte at a time) cannot take all of ``maxConnections`` and lock every other client out.
    public var maxConnectionsPerAddress: Int

    /// Creates limits; the defaults are 4096 in all and 1024 from one address.
    public init(maxConnections: Int = 4_096, maxConnectionsPerAddress: Int = 1_024) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
    }
}
