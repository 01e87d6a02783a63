/// The master's `[meta_bdb]` section (or a legacy `[replication]` / `[bdbStore]` one): Java's BDB-JE
/// replicated meta store. Our master keeps its metadata in an embedded store instead, so these settings
/// are parsed and validated as Java does, then reported as ignored.
public struct BDBMetaConfig: Sendable, Hashable {
    /// Which section the settings came from.
    public enum Source: String, Sendable, Hashable {
        /// `[meta_bdb]`.
        case metaBDB = "meta_bdb"
        /// The pre-1.0 `[replication]` section (same key names; `metaDataPath` read from `[master]`).
        case replication
        /// The pre-1.0 `[bdbStore]` section (`bdb*` key names).
        case bdbStore
    }

    /// The section the settings came from.
    public var source: Source = .metaBDB
    /// `repGroupName` (default `tubemqMasterGroup`): the replication group, the same on every master.
    public var groupName: String = "tubemqMasterGroup"
    /// `repNodeName` (required): this node's unique name.
    public var nodeName: String = ""
    /// `repNodePort` (default 9001): the replication port; must differ from the master's other ports.
    public var nodePort: Int = 9001
    /// `metaDataPath` (default `var/meta_data`): the BDB-JE directory.
    public var metaDataPath: String = "var/meta_data"
    /// `repHelperHost` (default `127.0.0.1:9001`): the node to join through.
    public var helperHost: String = "127.0.0.1:9001"
    /// `metaLocalSyncPolicy` (default 1): 1 SYNC, 2 NO_SYNC, 3 WRITE_NO_SYNC.
    public var localSyncPolicy: Int = 1
    /// `metaReplicaSyncPolicy` (default 3; the docs say 1): the same codes.
    public var replicaSyncPolicy: Int = 3
    /// `repReplicaAckPolicy` (default 1): 1 SIMPLE_MAJORITY, 2 ALL, 3 NONE.
    public var replicaAckPolicy: Int = 1
    /// `repStatusCheckTimeoutMs` (default 10000).
    public var statusCheckTimeoutMs: Int64 = 10_000

    /// Creates the defaults.
    public init() {}

    /// The key names of `[meta_bdb]`.
    static let keyNames = [
        "repGroupName", "repNodeName", "repNodePort", "metaDataPath", "repHelperHost", "metaLocalSyncPolicy",
        "metaReplicaSyncPolicy", "repReplicaAckPolicy", "repStatusCheckTimeoutMs",
    ]
    /// The key names of the legacy `[replication]` section (`metaDataPath` lives in `[master]`).
    static let replicationKeyNames = keyNames.filter { $0 != "metaDataPath" }
    /// The legacy `[bdbStore]` key names, in the order of ``keyNames``.
    static let bdbStoreKeyNames = [
        "bdbRepGroupName", "bdbNodeName", "bdbNodePort", "bdbEnvHome", "bdbHelperHost", "bdbLocalSync",
        "bdbReplicaSync", "bdbReplicaAck", "bdbStatusCheckTimeoutMs",
    ]

    /// Reads a BDB section. `names` maps each ``keyNames`` entry to the name used in this section;
    /// `masterMetaDataPath` is `[master] metaDataPath`, used by the `[replication]` form.
    ///
    /// - Throws: ``ConfigError`` for an empty section, a missing required key (with a suggestion), or a
    ///   value that is not a number.
    static func load(
        _ reader: SectionReader,
        source: Source,
        masterMetaDataPath: String?
    ) throws(ConfigError) -> BDBMetaConfig {
        guard reader.hasKeys else {
            throw reader.error(.emptySection, "Empty configure item in \(reader.name) section!")
        }
        let legacy = source == .bdbStore
        func name(_ modern: String) -> String {
            guard legacy, let index = keyNames.firstIndex(of: modern) else { return modern }
            return bdbStoreKeyNames[index]
        }
        var config = BDBMetaConfig()
        config.source = source
        config.groupName = reader.string(name("repGroupName"), default: config.groupName)
        config.nodeName = try reader.requiredString(name("repNodeName"))
        config.nodePort = try reader.int(name("repNodePort")) ?? config.nodePort
        switch source {
        case .metaBDB: config.metaDataPath = reader.string("metaDataPath", default: config.metaDataPath)
        case .replication: config.metaDataPath = masterMetaDataPath ?? config.metaDataPath
        case .bdbStore: config.metaDataPath = try reader.requiredString("bdbEnvHome")
        }
        config.helperHost =
            legacy
            ? try reader.requiredString("bdbHelperHost") : reader.string("repHelperHost", default: config.helperHost)
        config.localSyncPolicy = try reader.int(name("metaLocalSyncPolicy")) ?? config.localSyncPolicy
        config.replicaSyncPolicy = try reader.int(name("metaReplicaSyncPolicy")) ?? config.replicaSyncPolicy
        config.replicaAckPolicy = try reader.int(name("repReplicaAckPolicy")) ?? config.replicaAckPolicy
        config.statusCheckTimeoutMs = try reader.long(name("repStatusCheckTimeoutMs")) ?? config.statusCheckTimeoutMs
        return config
    }
}
