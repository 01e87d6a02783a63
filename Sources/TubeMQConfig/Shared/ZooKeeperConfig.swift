/// A ZooKeeper connection: the master's `[meta_zookeeper]` meta store (used by the HA master:
/// `zkServerAddr`, `zkNodeRoot`, `zkSessionTimeoutMs`) or the broker's `[zookeeper]` offset store
/// (with `enableWriteOffset2Zk=true`: `zkServerAddr`, `zkNodeRoot`, `zkSessionTimeoutMs`,
/// `zkSyncTimeMs`, `zkCommitPeriodMs`, `zkCommitFailRetries`). Keys not acted on are reported as ignored.
public struct ZooKeeperConfig: Sendable, Hashable {
    /// `zkServerAddr` (default `localhost:2181`): the connect string.
    public var serverAddress: String = "localhost:2181"
    /// `zkNodeRoot` (default `/tubemq`; the docs say `/tube`): the root znode.
    public var nodeRoot: String = "/tubemq"
    /// `zkSessionTimeoutMs` (default 180000; the docs say 30000).
    public var sessionTimeoutMs: Int = 180_000
    /// `zkConnectionTimeoutMs`, when given (TubeMQ's default is 600000; the docs say 30000): how
    /// long the HA master keeps trying to reach ZooKeeper when it starts. `nil` when not given:
    /// the master then makes 5 tries over about 3 s.
    public var connectionTimeoutMs: Int?
    /// `zkSyncTimeMs` (default 1000; the docs say 5000).
    public var syncTimeMs: Int = 1_000
    /// `zkCommitPeriodMs` (default 5000): flush period of cached data.
    public var commitPeriodMs: Int64 = 5_000
    /// `zkCommitFailRetries` (default 10).
    public var commitFailRetries: Int = 10
    /// `zkMasterCheckPeriodMs` (default 5000): master-election check interval (`[meta_zookeeper]` only).
    public var masterCheckPeriodMs: Int = 5_000
    /// `zkRequestTimeoutMs` (default 18000).
    public var requestTimeoutMs: Int = 18_000
    /// `zkAuthDigest` (ours, `[meta_zookeeper]` only): `user:password`, the ZooKeeper `digest`
    /// identity the masters prove; the security znodes are then theirs only. `nil` when absent.
    public var authDigest: String?

    /// Creates the defaults.
    public init() {}

    /// The keys of the broker's `[zookeeper]` section.
    static let brokerKeyNames = [
        "zkServerAddr", "zkNodeRoot", "zkSessionTimeoutMs", "zkConnectionTimeoutMs", "zkSyncTimeMs",
        "zkCommitPeriodMs", "zkCommitFailRetries", "zkRequestTimeoutMs",
    ]
    /// The keys of the master's `[meta_zookeeper]` section.
    static let metaKeyNames = brokerKeyNames + ["zkMasterCheckPeriodMs", "zkAuthDigest"]

    /// Reads `reader`'s section; blank values keep the defaults.
    ///
    /// - Throws: ``ConfigError`` for a value that is not a number.
    static func load(_ reader: SectionReader) throws(ConfigError) -> ZooKeeperConfig {
        var config = ZooKeeperConfig()
        config.serverAddress = reader.string("zkServerAddr", default: config.serverAddress)
        config.nodeRoot = reader.string("zkNodeRoot", default: config.nodeRoot)
        if reader.line(of: "zkServerAddr") != nil, reader.string("zkServerAddr") == nil {
            throw reader.error(.invalidValue, "zkServerAddr is blank: give host:port[,host:port…]", "zkServerAddr")
        }
        if let problem = Self.connectStringProblem(config.serverAddress) {
            throw reader.error(.invalidValue, "zkServerAddr \(config.serverAddress): \(problem)", "zkServerAddr")
        }
        guard config.nodeRoot.hasPrefix("/"),
            config.nodeRoot == "/" || !config.nodeRoot.hasSuffix("/") && !config.nodeRoot.contains("//")
        else {
            throw reader.error(
                .invalidValue,
                "zkNodeRoot must be an absolute znode path such as /tubemq, got \(config.nodeRoot)",
                "zkNodeRoot"
            )
        }
        config.sessionTimeoutMs = try reader.int("zkSessionTimeoutMs") ?? config.sessionTimeoutMs
        guard config.sessionTimeoutMs > 0 else {
            throw reader.error(.invalidValue, "zkSessionTimeoutMs must be positive", "zkSessionTimeoutMs")
        }
        config.connectionTimeoutMs = try reader.int("zkConnectionTimeoutMs")
        if let timeout = config.connectionTimeoutMs, timeout <= 0 {
            throw reader.error(.invalidValue, "zkConnectionTimeoutMs must be positive", "zkConnectionTimeoutMs")
        }
        config.syncTimeMs = try reader.int("zkSyncTimeMs") ?? config.syncTimeMs
        config.commitPeriodMs = try reader.long("zkCommitPeriodMs") ?? config.commitPeriodMs
        config.commitFailRetries = try reader.int("zkCommitFailRetries") ?? config.commitFailRetries
        config.masterCheckPeriodMs = try reader.int("zkMasterCheckPeriodMs") ?? config.masterCheckPeriodMs
        config.requestTimeoutMs = try reader.int("zkRequestTimeoutMs") ?? config.requestTimeoutMs
        if let digest = reader.string("zkAuthDigest"), !digest.isEmpty {
            guard let colon = digest.firstIndex(of: ":"), colon != digest.startIndex,
                colon != digest.index(before: digest.endIndex)
            else {
                throw reader.error(.invalidValue, "zkAuthDigest must be user:password", "zkAuthDigest")
            }
            config.authDigest = digest
        }
        return config
    }

    /// What is wrong with a connect string (`host[:port],host[:port]…`, optionally followed by a
    /// chroot path), or `nil`.
    static func connectStringProblem(_ text: String) -> String? {
        let hosts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        for item in hosts.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = String(item.filter { $0 != " " })
            guard !entry.isEmpty else { return "an empty server entry" }
            guard let colon = entry.lastIndex(of: ":") else { continue }  // port 2181
            let port = entry[entry.index(after: colon)...]
            guard let number = Int(port), (1...65_535).contains(number) else {
                return "bad port \"\(port)\" in \(entry)"
            }
            guard colon != entry.startIndex else { return "no host in \(entry)" }
        }
        return nil
    }
}
