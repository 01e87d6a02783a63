public import TubeMQZooKeeper

/// A failure of the broker's ZooKeeper offset mirror, naming the server or the znode.
public struct ZooKeeperOffsetError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for logs and the command line.
    public var message: String
    /// The ZooKeeper client's error, if one caused it.
    public var underlying: ZooKeeperError?

    /// Creates an error.
    public init(_ message: String, underlying: ZooKeeperError? = nil) {
        self.message = message
        self.underlying = underlying
    }

    /// The message, then the underlying error.
    public var description: String { underlying.map { "\(message): \($0)" } ?? message }
}
