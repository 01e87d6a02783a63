/// Where and how often the broker mirrors committed group offsets to ZooKeeper: broker.ini's
/// `[zookeeper]` section with `enableWriteOffset2Zk=true`.
public struct ZooKeeperOffsetSettings: Sendable, Hashable {
    /// `zkServerAddr`: the connect string, `host:port[,host:port...][/chroot]`.
    public var serverAddress: String
    /// `zkNodeRoot`: the root znode; offsets live under `<root>/consumers-v3`.
    public var nodeRoot: String
    /// `zkSessionTimeoutMs`: the requested session timeout (the server clamps it).
    public var sessionTimeoutMs: Int
    /// `zkCommitPeriodMs`: how often changed offsets are written.
    public var commitPeriodMs: Int64
    /// `zkSyncTimeMs`: the pause between retries of a failed write.
    public var syncTimeMs: Int
    /// `zkCommitFailRetries`: how many times a failed write is retried (the final write at shutdown).
    public var commitFailRetries: Int

    /// Creates settings; the defaults are TubeMQ's `ZKConfig` ones.
    public init(
        serverAddress: String = "localhost:2181",
        nodeRoot: String = "/tubemq",
        sessionTimeoutMs: Int = 180_000,
        commitPeriodMs: Int64 = 5_000,
        syncTimeMs: Int = 1_000,
        commitFailRetries: Int = 10
    ) {
        self.serverAddress = serverAddress
        self.nodeRoot = nodeRoot
        self.sessionTimeoutMs = sessionTimeoutMs
        self.commitPeriodMs = commitPeriodMs
        self.syncTimeMs = syncTimeMs
        self.commitFailRetries = commitFailRetries
    }
}
