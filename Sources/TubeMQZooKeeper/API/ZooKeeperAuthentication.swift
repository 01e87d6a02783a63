/// An identity a client proves on every connection of its session (ZooKeeper's auth packet, what
/// `addauth` sends): a scheme and its credential. Znodes whose ACL names that identity (for example
/// ``ACL/creatorAll``) are then open to it and closed to clients without it.
public struct ZooKeeperAuthentication: Sendable, Hashable, CustomStringConvertible {
    /// The scheme (`digest` for user and password).
    public var scheme: String
    /// The credential bytes (`user:password` for `digest`); never logged.
    public var credential: [UInt8]

    /// Creates an authentication.
    public init(scheme: String, credential: [UInt8]) {
        self.scheme = scheme
        self.credential = credential
    }

    /// The `digest` scheme: `user:password`.
    public static func digest(user: String, password: String) -> ZooKeeperAuthentication {
        ZooKeeperAuthentication(scheme: "digest", credential: Array("\(user):\(password)".utf8))
    }

    /// The scheme only: the credential is never printed.
    public var description: String { "ZooKeeperAuthentication(\(scheme))" }
}
