public import NIOSSL
public import SystemPackage
public import TubeMQRPC
public import TubeMQStorage

/// Settings of a broker.
public struct BrokerConfiguration: Sendable {
    /// The broker id, unique in the cluster.
    public var brokerID: Int32
    /// The address the RPC server binds; also the address advertised to the master.
    public var host: String
    /// The RPC port; `0` picks a free one.
    public var port: Int
    /// The directory holding the message store and consumer offsets.
    public var dataDirectory: FilePath
    /// Master RPC addresses (`host:port`), tried in order; empty runs the broker without a master.
    public var masterAddresses: [(host: String, port: Int)]
    /// Heartbeat period to the master (`heartbeatPeriodMs`).
    public var heartbeatPeriodMillis: Int64
    /// A consumer silent this long loses its partitions (`consumerRegTimeoutMs`).
    public var consumerTimeoutMillis: Int64
    /// The most payload bytes one fetch returns (`transferSize`).
    public var transferSize: Int
    /// The storage I/O backend.
    public var io: IOBackend
    /// The store's segment size (bytes) for topics opened by this broker.
    public var segmentBytes: Int64
    /// When sends to a topic are acknowledged unless the master sets the topic's own policy.
    public var acknowledgement: FlushPolicy.Acknowledgement = .memory
    /// The most bytes a topic keeps on this broker unless the master sets the topic's own cap (`nil`: no cap).
    public var retentionBytes: Int64? = nil
    /// How often expired segments and segments over a size cap are deleted (`logClearupDurationMs`).
    /// A size cap also acts whenever a segment is complete, without waiting for this sweep.
    public var retentionSweepMillis: Int64 = 180_000
    /// The version string reported to the master in the broker's client id.
    public var version: String
    /// The user name and password the broker signs its master requests with
    /// (`visitMasterAuth`, `visitName`, `visitPassword`); `nil` sends none.
    public var masterVisitCredentials: (name: String, password: String)? = nil
    /// Delay after registration before visit tokens are enforced (`visitTokenCheckInValidTimeMs`).
    public var visitTokenGraceMs: Int64 = 120_000
    /// broker.ini's `[zookeeper]` with `enableWriteOffset2Zk=true`: also commit group offsets to
    /// ZooKeeper (``ZooKeeperOffsetMirror``); `nil` keeps them on the broker only.
    public var zooKeeperOffsets: ZooKeeperOffsetSettings? = nil
    /// A TLS listener beside the plain one (`[tlsSetting]`, default port 8124); `nil` serves plain
    /// TCP only. The broker tells the master it serves TLS and on which port.
    public var tls: TLSSettings? = nil
    /// Speak TLS to the master with this client context (`[tlsSetting] masterTLSEnable`, ours):
    /// ``masterAddresses`` are then the masters' TLS ports (8716); `nil` speaks plain TCP.
    public var masterTLS: NIOSSLContext? = nil
    /// The RPC listeners' connection limits (`maxConnections`, `maxConnectionsPerAddress`, ours).
    public var connectionLimits = RPCConnectionLimits()
    /// Deliberately broken behaviours, for tests of test suites only.
    public var _faults: _BrokerFaults = _BrokerFaults()

    /// Creates a configuration; defaults are the real broker's.
    public init(
        brokerID: Int32,
        host: String = "127.0.0.1",
        port: Int = 8123,
        dataDirectory: FilePath,
        masterAddresses: [(host: String, port: Int)] = [],
        heartbeatPeriodMillis: Int64 = 8000,
        consumerTimeoutMillis: Int64 = 30_000,
        transferSize: Int = 512 * 1024,
        io: IOBackend = .uring,
        segmentBytes: Int64 = 512 << 20,
        version: String = "swift-tubemq-0.1"
    ) {
        self.brokerID = brokerID
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.masterAddresses = masterAddresses
        self.heartbeatPeriodMillis = heartbeatPeriodMillis
        self.consumerTimeoutMillis = consumerTimeoutMillis
        self.transferSize = transferSize
        self.io = io
        self.segmentBytes = segmentBytes
        self.version = version
    }
}

extension BrokerConfiguration {
    /// The settings of an RPC listener on `port` (the plain one, or the TLS one).
    func rpcConfiguration(port: Int) -> RPCServerConfiguration {
        var rpc = RPCServerConfiguration(host: host, port: port)
        rpc.connectionLimits = connectionLimits
        return rpc
    }
}
