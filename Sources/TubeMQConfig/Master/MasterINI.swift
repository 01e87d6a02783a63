/// Everything master.ini configures, with TubeMQ's code defaults (not the sample file's values).
///
/// Properties of the `[master]` section carry the key's own name. ``init()`` gives the defaults;
/// ``init(ini:)`` and ``init(contentsOfFile:)`` load and validate a file as the Java `MasterConfig` does,
/// with these deviations, all on purpose:
/// - a blank `hostName` binds `127.0.0.1` (Java picks the first non-loopback IPv4 address): the master
///   listens on loopback only unless an address is configured;
/// - `metaDataPath` in `[master]` names the directory of our embedded metadata store (in Java it is only
///   read with the legacy `[replication]` section); the meta-store sections are parsed but ignored, and a
///   file without one is accepted;
/// - a port of 0 means "pick a free port" (for tests) and is exempt from the equal-port checks.
public struct MasterINI: Sendable, Hashable {
    /// Our default directory for the embedded metadata store, relative to the working directory. It is
    /// not BDB's `var/meta_data`, so a store never lands in a directory holding BDB-JE files.
    public static let defaultMetaDataPath = "var/meta_store"

    // MARK: [master] listeners

    /// `hostName`: the address to bind and advertise. Blank → `127.0.0.1` (our rule; see the type).
    public var hostName: String = "127.0.0.1"
    /// `port` (default 8715): the RPC port. Must differ from `webPort`; 0 picks a free port.
    public var port: Int = 8715
    /// `webPort` (default 8080): the HTTP admin API port. Must differ from `port` and the TLS port.
    public var webPort: Int = 8080
    /// `webResourcePath` (required in the file; field default `../resources`): console static files.
    public var webResourcePath: String = "../resources"
    /// `confModAuthToken` (default `ASDFGHJKL`, at most 128 characters): token for admin modify calls.
    public var confModAuthToken: String = "ASDFGHJKL"
    /// `useWebProxy` (default false): console proxy flag.
    public var useWebProxy: Bool = false

    // MARK: [master] timing

    /// `consumerBalancePeriodMs` (default 60000): period of the rebalance task.
    public var consumerBalancePeriodMs: Int = 60_000
    /// `firstBalanceDelayAfterStartMs` (default 30000): delay before the first rebalance.
    public var firstBalanceDelayAfterStartMs: Int = 30_000
    /// `consumerHeartbeatTimeoutMs` (default 30000).
    public var consumerHeartbeatTimeoutMs: Int = 30_000
    /// `producerHeartbeatTimeoutMs` (default 30000).
    public var producerHeartbeatTimeoutMs: Int = 30_000
    /// `brokerHeartbeatTimeoutMs` (default 30000).
    public var brokerHeartbeatTimeoutMs: Int = 30_000
    /// `rpcReadTimeoutMs` (default 10000).
    public var rpcReadTimeoutMs: Int64 = 10_000
    /// `onlineOnlyReadToRWPeriodMs` (default 120000): broker online step wait, read-only → read-write.
    public var onlineOnlyReadToRWPeriodMs: Int64 = 120_000
    /// `offlineOnlyReadToRWPeriodMs` (default 30000): the same for the offline path.
    public var offlineOnlyReadToRWPeriodMs: Int64 = 30_000
    /// `stepChgWaitPeriodMs` (default 12000): wait between broker state-change steps.
    public var stepChgWaitPeriodMs: Int64 = 12_000
    /// `visitTokenValidPeriodMs` (default 300000; values below 180000 are raised to it).
    public var visitTokenValidPeriodMs: Int64 = 300_000
    /// `authValidTimeStampPeriodMs` (default 20000, clamped to 5000...120000): signature timestamp skew.
    public var authValidTimeStampPeriodMs: Int64 = 20_000
    /// `maxMetaForceUpdatePeriodMs` (default 180000; values below 60000 are raised to it).
    public var maxMetaForceUpdatePeriodMs: Int64 = 180_000
    /// `rowLockWaitDurMs` (default 30000): metadata row-lock wait.
    public var rowLockWaitDurMs: Int = 30_000

    // MARK: [master] sockets

    /// `socketSendBuffer` (default -1: the OS default).
    public var socketSendBuffer: Int64 = -1
    /// `socketRecvBuffer` (default -1: the OS default).
    public var socketRecvBuffer: Int64 = -1
    /// `nettyWriteBufferHighWaterMark` (default 10 MiB).
    public var nettyWriteBufferHighWaterMark: Int64 = 10 * 1024 * 1024
    /// `nettyWriteBufferLowWaterMark` (default 5 MiB).
    public var nettyWriteBufferLowWaterMark: Int64 = 5 * 1024 * 1024

    // MARK: [master] balancing

    /// `maxGroupBrokerConsumeRate` (default 1000, must be > 0): maximum brokers-to-consumers ratio of a group.
    public var maxGroupBrokerConsumeRate: Int = 1_000
    /// `maxGroupRebalanceWaitPeriod` (default 2): rebalance cycles to wait.
    public var maxGroupRebalanceWaitPeriod: Int = 2
    /// `maxAutoForbiddenCnt` (default 5): brokers that may be auto-forbidden after I/O faults.
    public var maxAutoForbiddenCnt: Int = 5
    /// `rebalanceParallel` (default 4, clamped to 1...20): rebalance worker parallelism.
    public var rebalanceParallel: Int = 4
    /// `startOffsetResetCheck` (default false): check client offset-reset requests.
    public var startOffsetResetCheck: Bool = false

    // MARK: [master] security

    /// `startVisitTokenCheck` (default false): enforce visit tokens.
    public var startVisitTokenCheck: Bool = false
    /// `startProduceAuthenticate` (default false).
    public var startProduceAuthenticate: Bool = false
    /// `startProduceAuthorize` (default false); requires `startProduceAuthenticate`.
    public var startProduceAuthorize: Bool = false
    /// `startConsumeAuthenticate` (default false).
    public var startConsumeAuthenticate: Bool = false
    /// `startConsumeAuthorize` (default false); requires `startConsumeAuthenticate`.
    public var startConsumeAuthorize: Bool = false
    /// `needBrokerVisitAuth` (default false): brokers must sign their reports.
    public var needBrokerVisitAuth: Bool = false
    /// `visitName` (default ""; read, and required, only when `needBrokerVisitAuth` is true).
    public var visitName: String = ""
    /// `visitPassword` (default ""; read, and required, only when `needBrokerVisitAuth` is true).
    public var visitPassword: String = ""

    // MARK: our additions and other sections

    /// `[master] metaDataPath` (our use; default ``defaultMetaDataPath``): the embedded metadata store's
    /// directory, absolute or relative to the working directory. With a legacy `[replication]` section,
    /// Java also uses this key as its BDB-JE directory.
    public var metaDataPath: String = MasterINI.defaultMetaDataPath
    /// `[master] authUserFile` (ours; default none): the users clients authenticate as, one a line,
    /// `name password [topics they may publish]`. Kept up to date by the webapi's user methods.
    public var authUserFile: String?
    /// `[master] maxConnections` and `maxConnectionsPerAddress` (ours): the RPC listeners' connection limits.
    public var connectionLimits = ConnectionLimitsConfig()
    /// The meta-store section found (`[meta_zookeeper]`, `[meta_bdb]`, …), parsed but not acted on.
    public var metaStore: MetaStoreConfig?
    /// `[tlsSetting]` (default port 8716).
    public var tls = TLSConfig(port: TLSConfig.defaultMasterPort)
    /// `[prometheus]`.
    public var prometheus = PrometheusConfig()

    // MARK: what the file held

    /// The sections and keys of the loaded file; empty for a configuration built in code.
    public var fileOutline = FileOutline()
    /// Warnings recorded while loading: unparseable values that fell back to a default, clamped values,
    /// deprecated sections. ``startupWarnings(supportedKeys:)`` adds the ignored and unknown keys.
    public var loadWarnings: [ConfigWarning] = []

    /// Creates the default configuration (no file).
    public init() {}
}
