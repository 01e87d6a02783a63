#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything broker.ini configures, with TubeMQ's code defaults (not the sample file's values).
///
/// Properties of the `[broker]` section carry the key's own name. ``init(brokerId:hostName:masterAddresses:primaryPath:)``
/// takes the four values Java requires and defaults the rest; ``init(ini:)`` and ``init(contentsOfFile:)``
/// load and validate a file as the Java `BrokerConfig` does. Our additions: `io` selects the storage
/// I/O backend; a port of 0 means "pick a free port" and never conflicts; sizes must be positive.
public struct BrokerINI: Sendable, Hashable {
    /// Java's default thread count for each RPC service: twice the CPU count.
    public static let defaultServiceThreads: Int = 2 * max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    // MARK: [broker] identity and listeners

    /// `brokerId` (required key): the unique broker ID; 0 (or less) means "derive from the local IPv4
    /// address as abs(ip as int)", which the caller does.
    public var brokerId: Int
    /// `hostName` (required): the address to bind and advertise.
    public var hostName: String
    /// `defEthName` (default `eth1`): the NIC used to detect the local IPv4 address.
    public var defEthName: String = "eth1"
    /// `port` (default 8123): the RPC port; must equal the master's `brokerPort` record. 0 picks a free port.
    public var port: Int = 8123
    /// `webPort` (default 8081): the HTTP admin port; must differ from `port` and the TLS port.
    public var webPort: Int = 8081
    /// `masterAddressList` (required): the masters' RPC endpoints, `ip1:port1,ip2:port2,...`.
    public var masterAddresses: [HostAndPort]

    // MARK: [broker] storage

    /// `primaryPath` (required; trailing `/` stripped): the root directory for message data.
    public var primaryPath: String
    /// `maxSegmentSize` (a required key in Java; field default 1 GiB): maximum data-segment size in bytes.
    public var maxSegmentSize: Int = 1024 * 1024 * 1024
    /// `maxIndexSegmentSize` (default 700000 × 28 = 19600000): maximum index-segment size in bytes.
    public var maxIndexSegmentSize: Int = 700_000 * 28
    /// `transferSize` (a required key in Java; field default 512 KiB): maximum bytes per fetch.
    public var transferSize: Int = 512 * 1024
    /// `indexTransCount` (default 1000): maximum index entries scanned per fetch.
    public var indexTransCount: Int = 1_000
    /// `logClearupDurationMs` (default 180000; values below 60000 are raised to it): expired-segment cleanup period.
    public var logClearupDurationMs: Int64 = 180_000
    /// `logFlushDiskDurMs` (default 20000; minimum 10000): disk-flush check period.
    public var logFlushDiskDurMs: Int64 = 20_000
    /// `logFlushMemDurMs` (default 10000; minimum 10000): memory-cache flush check period.
    public var logFlushMemDurMs: Int64 = 10_000
    /// `enableMemStore` (default true): use the in-memory cache store.
    public var enableMemStore: Bool = true
    /// `defaultDeduceReadSize` (default 7 GiB): consumer lag above which reads come from file.
    public var defaultDeduceReadSize: Int64 = 7 * 1024 * 1024 * 1024
    /// `io` (our addition; default `uring`): the storage I/O backend.
    public var io: StorageIOBackend = .uring
    /// `acknowledgement` (our addition; default `memory`): when a send is acknowledged for topics
    /// whose master record sets no `ackPolicy`: `memory` (in the memory block, TubeMQ's behaviour)
    /// or `disk` (written and fdatasynced).
    public var acknowledgement: String = "memory"
    /// `retentionBytes` (our addition; default 0 = no cap): the most bytes a topic keeps on this broker
    /// for topics whose master record sets no `retentionBytes`; the oldest segments go first.
    public var retentionBytes: Int64 = 0

    // MARK: [broker] timing and RPC

    /// `consumerRegTimeoutMs` (default 30000; values below 20000 are raised to it).
    public var consumerRegTimeoutMs: Int = 30_000
    /// `heartbeatPeriodMs` (default 8000): broker → master heartbeat interval.
    public var heartbeatPeriodMs: Int64 = 8_000
    /// `rpcReadTimeoutMs` (default 10000).
    public var rpcReadTimeoutMs: Int64 = 10_000
    /// `socketSendBuffer` (default -1: the OS default).
    public var socketSendBuffer: Int64 = -1
    /// `socketRecvBuffer` (default -1: the OS default).
    public var socketRecvBuffer: Int64 = -1
    /// `nettyWriteBufferHighWaterMark` (default 10 MiB).
    public var nettyWriteBufferHighWaterMark: Int64 = 10 * 1024 * 1024
    /// `nettyWriteBufferLowWaterMark` (default 5 MiB).
    public var nettyWriteBufferLowWaterMark: Int64 = 5 * 1024 * 1024
    /// `tcpWriteServiceThread` (default 2 × CPU count): produce worker threads.
    public var tcpWriteServiceThread: Int = BrokerINI.defaultServiceThreads
    /// `tcpReadServiceThread` (default 2 × CPU count): consume worker threads.
    public var tcpReadServiceThread: Int = BrokerINI.defaultServiceThreads
    /// `tlsWriteServiceThread` (default 2 × CPU count).
    public var tlsWriteServiceThread: Int = BrokerINI.defaultServiceThreads
    /// `tlsReadServiceThread` (default 2 × CPU count).
    public var tlsReadServiceThread: Int = BrokerINI.defaultServiceThreads
    /// `rowLockWaitDurMs` (default 30000).
    public var rowLockWaitDurMs: Int = 30_000
    /// `allowedReadIOExcptCnt` (default 3): read I/O errors tolerated before reporting abnormal.
    public var allowedReadIOExcptCnt: Int = 3
    /// `allowedWriteIOExcptCnt` (default 3).
    public var allowedWriteIOExcptCnt: Int = 3
    /// `ioExcptStatsDurationMs` (default 120000): the window for counting I/O errors.
    public var ioExcptStatsDurationMs: Int64 = 120_000

    // MARK: [broker] consumer offsets

    /// `updateConsumerOffsets` (default true): persist consumer offsets.
    public var updateConsumerOffsets: Bool = true
    /// `enableWriteOffset2Zk` (default false): also write offsets to `[zookeeper]`.
    public var enableWriteOffset2Zk: Bool = false
    /// `offsetStgFilePath` (default: `primaryPath`); `nil` means ``primaryPath``.
    public var offsetStgFilePath: String?
    /// `offsetStgCacheFlushMs` (default 5000; a configured value is capped at 1000, as the Java code does).
    public var offsetStgCacheFlushMs: Int64 = 5_000
    /// `offsetStgFileSyncMs` (default 6000; capped at `offsetStgCacheFlushMs` + 1000).
    public var offsetStgFileSyncMs: Int64 = 6_000
    /// `offsetStgSyncDurWarnMs` (default 20000; capped at `offsetStgFileSyncMs` + 1000).
    public var offsetStgSyncDurWarnMs: Int64 = 20_000
    /// `grpOffsetStgExpMs` (default 20 days; a configured value is capped at 1 day).
    public var grpOffsetStgExpMs: Int64 = 20 * 24 * 3_600_000
    /// `groupOffsetScanDurMs` (default 60000, clamped to 20000...480000).
    public var groupOffsetScanDurMs: Int64 = 60_000

    // MARK: [broker] security

    /// `visitTokenCheckInValidTimeMs` (default 120000, clamped to 60000...300000).
    public var visitTokenCheckInValidTimeMs: Int64 = 120_000
    /// `authValidTimeStampPeriodMs` (default 20000, clamped to 5000...120000).
    public var authValidTimeStampPeriodMs: Int64 = 20_000
    /// `visitMasterAuth` (default false): sign reports sent to the master.
    public var visitMasterAuth: Bool = false
    /// `visitName` (default ""; read, and required, only when `visitMasterAuth` is true).
    public var visitName: String = ""
    /// `visitPassword` (default ""; read, and required, only when `visitMasterAuth` is true).
    public var visitPassword: String = ""
    /// `webAdminToken` (ours; default none): the `confModAuthToken` the broker webapi's offset-moving
    /// methods need. Without it the broker creates a random one in `primaryPath/webapi.token`.
    public var webAdminToken: String?
    /// `webAdminTokenCheck` (ours; default true): false lets the offset-moving methods run without a
    /// token, as TubeMQ's broker does.
    public var webAdminTokenCheck: Bool = true
    /// `maxConnections` and `maxConnectionsPerAddress` (ours): the RPC listeners' connection limits.
    public var connectionLimits = ConnectionLimitsConfig()

    // MARK: other sections

    /// `[zookeeper]`, or `nil` when absent or empty (it is only used with `enableWriteOffset2Zk`).
    public var zooKeeper: ZooKeeperConfig?
    /// `[tlsSetting]` (default port 8124).
    public var tls = TLSConfig(port: TLSConfig.defaultBrokerPort)
    /// `[audit]`.
    public var audit = AuditConfig()
    /// `[prometheus]`.
    public var prometheus = PrometheusConfig()

    // MARK: what the file held

    /// The sections and keys of the loaded file; empty for a configuration built in code.
    public var fileOutline = FileOutline()
    /// Warnings recorded while loading (unparseable `port`, clamped values).
    public var loadWarnings: [ConfigWarning] = []

    /// Creates a configuration from the four values Java requires; everything else takes its default.
    public init(brokerId: Int, hostName: String, masterAddresses: [HostAndPort], primaryPath: String) {
        self.brokerId = brokerId
        self.hostName = hostName
        self.masterAddresses = masterAddresses
        self.primaryPath = primaryPath
    }

    /// `masterAddressList` as written in broker.ini: `ip1:port1,ip2:port2`.
    public var masterAddressList: String { masterAddresses.map(\.description).joined(separator: ",") }

    /// The directory for offset files: `offsetStgFilePath`, or `primaryPath` if it is unset.
    public var offsetStoragePath: String { offsetStgFilePath ?? primaryPath }
}
