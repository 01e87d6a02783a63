/// Request types (ZooKeeper's `ZooDefs.OpCode`), the ones this client sends.
enum OpCode: Int32, Sendable {
    case create = 1
    case delete = 2
    case exists = 3
    case getData = 4
    case setData = 5
    case getChildren = 8
    case sync = 9
    case ping = 11
    case getChildren2 = 12
    case check = 13
    case multi = 14
    case create2 = 15
    case createContainer = 19
    case auth = 100
    case setWatches = 101
    case closeSession = -11
    /// The result type of a failed op inside a multi reply.
    case error = -1
}

/// Reserved xids of out-of-band frames.
enum SpecialXid {
    /// A watch notification (server to client).
    static let notification: Int32 = -1
    /// A ping and its reply.
    static let ping: Int32 = -2
    /// An auth packet and its reply.
    static let auth: Int32 = -4
    /// A setWatches request and its reply.
    static let setWatches: Int32 = -8
}
