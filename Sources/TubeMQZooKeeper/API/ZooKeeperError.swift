/// A failed ZooKeeper call, as the client sees it.
///
/// Server-side failures carry the `KeeperException` code the ensemble answered with (``Code/noNode``,
/// ``Code/badVersion`` ...); client-side failures use the codes the Java client uses for them
/// (``Code/connectionLoss``, ``Code/sessionExpired``) or one of the client-only codes below -1000
/// (``Code/noServerReachable``, ``Code/closed``, ``Code/frameTooLarge``, ``Code/protocolError``).
public struct ZooKeeperError: Error, Sendable, CustomStringConvertible {
    /// What went wrong: a `KeeperException.Code` value, or a client-only value below -1000.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The numeric code, as on the wire for server codes.
        public var rawValue: Int32

        /// Wraps a numeric code; unknown values are kept as they are.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// Success (only seen inside multi results, for ops that were rolled back).
        public static let ok = Code(rawValue: 0)
        /// A generic server error.
        public static let systemError = Code(rawValue: -1)
        /// Inside a failed multi: this op was not executed because an earlier one failed.
        public static let runtimeInconsistency = Code(rawValue: -2)
        /// The server detected inconsistent data.
        public static let dataInconsistency = Code(rawValue: -3)
        /// The connection was lost before the reply came: the request may or may not have been applied.
        public static let connectionLoss = Code(rawValue: -4)
        /// The server could not decode or encode the request.
        public static let marshallingError = Code(rawValue: -5)
        /// The server does not implement the operation.
        public static let unimplemented = Code(rawValue: -6)
        /// The operation timed out.
        public static let operationTimeout = Code(rawValue: -7)
        /// An invalid path, create mode or argument.
        public static let badArguments = Code(rawValue: -8)
        /// A generic API error.
        public static let apiError = Code(rawValue: -100)
        /// The node (or, for create, its parent) does not exist.
        public static let noNode = Code(rawValue: -101)
        /// The node's ACL does not permit the operation.
        public static let noAuth = Code(rawValue: -102)
        /// The expected version did not match the node's version (compare-and-set lost).
        public static let badVersion = Code(rawValue: -103)
        /// Ephemeral nodes cannot have children.
        public static let noChildrenForEphemerals = Code(rawValue: -108)
        /// The node already exists.
        public static let nodeExists = Code(rawValue: -110)
        /// The node has children and cannot be deleted.
        public static let notEmpty = Code(rawValue: -111)
        /// The session expired (or was closed): the client handle is unusable.
        public static let sessionExpired = Code(rawValue: -112)
        /// The ACL list was empty or malformed.
        public static let invalidACL = Code(rawValue: -114)
        /// Authentication failed.
        public static let authFailed = Code(rawValue: -115)
        /// The session moved to another server.
        public static let sessionMoved = Code(rawValue: -118)
        /// A write was sent to a read-only server.
        public static let notReadOnly = Code(rawValue: -119)
        /// An ephemeral node was requested on a local session.
        public static let ephemeralOnLocalSession = Code(rawValue: -120)
        /// removeWatches found no watch.
        public static let noWatcher = Code(rawValue: -121)
        /// A hard quota was exceeded.
        public static let quotaExceeded = Code(rawValue: -125)
        /// The server shed the request under load; retry later.
        public static let throttledOp = Code(rawValue: -127)

        /// Client only: no member of the connect string answered within the retry budget.
        public static let noServerReachable = Code(rawValue: -1001)
        /// Client only: the client was closed.
        public static let closed = Code(rawValue: -1002)
        /// Client only: a frame length was negative or above the configured maximum.
        public static let frameTooLarge = Code(rawValue: -1003)
        /// Client only: the server sent something the protocol does not allow (undecodable record,
        /// reply for the wrong request).
        public static let protocolError = Code(rawValue: -1004)
        /// Client only: the caller passed an invalid argument (bad path, bad connect string).
        public static let invalidArgument = Code(rawValue: -1005)

        private static let names: [Int32: String] = [
            0: "ok", -1: "systemError", -2: "runtimeInconsistency", -3: "dataInconsistency",
            -4: "connectionLoss", -5: "marshallingError", -6: "unimplemented", -7: "operationTimeout",
            -8: "badArguments", -100: "apiError", -101: "noNode", -102: "noAuth", -103: "badVersion",
            -108: "noChildrenForEphemerals", -110: "nodeExists", -111: "notEmpty", -112: "sessionExpired",
            -114: "invalidACL", -115: "authFailed", -118: "sessionMoved", -119: "notReadOnly",
            -120: "ephemeralOnLocalSession", -121: "noWatcher", -125: "quotaExceeded", -127: "throttledOp",
            -1001: "noServerReachable", -1002: "closed", -1003: "frameTooLarge", -1004: "protocolError",
            -1005: "invalidArgument",
        ]

        /// The code's name, or "unknown error N".
        public var description: String { Self.names[rawValue] ?? "unknown error \(rawValue)" }
    }

    /// The kind of failure.
    public var code: Code
    /// A description, with the path or server address where known.
    public var message: String
    /// The path the failed operation addressed, if any (as the caller wrote it, without chroot).
    public var path: String?
    /// For a failed ``ZooKeeperClient/multi(_:)``: the index of the first operation that failed.
    public var failedOperationIndex: Int?
    /// For a failed ``ZooKeeperClient/multi(_:)``: the outcome of every operation, in order (``Code/ok``
    /// for ops that would have succeeded, the failing code, then ``Code/runtimeInconsistency``).
    public var operationCodes: [Code]
    /// The underlying error, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        path: String? = nil,
        failedOperationIndex: Int? = nil,
        operationCodes: [Code] = [],
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.failedOperationIndex = failedOperationIndex
        self.operationCodes = operationCodes
        self.underlying = underlying
    }

    public var description: String {
        var text = "ZooKeeper \(code): \(message)"
        if let path { text += " (path \(path))" }
        if let failedOperationIndex { text += " (multi op \(failedOperationIndex))" }
        return text
    }
}
