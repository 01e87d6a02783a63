/// The state of a client's session, as delivered by ``ZooKeeperClient/sessionEvents``.
public enum SessionState: Sendable, Hashable, CustomStringConvertible {
    /// Connected to a server; requests flow. After a disconnection this means the same session resumed.
    case connected
    /// The connection was lost; the client is trying to resume the session on a member of the
    /// connect string. The session may still be alive: a leader must stop acting as one now.
    case disconnected
    /// The ensemble declared the session expired (or it was closed elsewhere): its ephemeral nodes and
    /// watches are gone. The client is unusable; open a new one. Final.
    case expired
    /// The client was closed by ``ZooKeeperClient/close()``. Final.
    case closed

    public var description: String {
        switch self {
        case .connected: "connected"
        case .disconnected: "disconnected"
        case .expired: "expired"
        case .closed: "closed"
        }
    }

    /// Whether no further state follows.
    public var isFinal: Bool { self == .expired || self == .closed }
}

/// The id and password of a session: what a client needs to resume it on another connection.
public struct SessionCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The server-assigned session id (`Stat.ephemeralOwner` of the session's ephemeral nodes).
    public var id: Int64
    /// The 16-byte session password.
    public var password: [UInt8]

    /// Creates credentials.
    public init(id: Int64, password: [UInt8]) {
        self.id = id
        self.password = password
    }

    /// The session id in hex, as ZooKeeper prints it (the password is never printed).
    public var description: String { "0x" + String(UInt64(bitPattern: id), radix: 16) }
}
