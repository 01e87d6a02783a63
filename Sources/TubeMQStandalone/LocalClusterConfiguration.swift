public import NIOSSL
public import TubeMQBroker
public import TubeMQMaster
public import TubeMQRPC
public import TubeMQStorage

/// Settings of a ``LocalCluster``.
public struct LocalClusterConfiguration: Sendable {
    /// A topic to deploy on every broker.
    public struct Topic: Sendable, Hashable {
        /// The topic name.
        public var name: String
        /// Partitions per storage instance.
        public var partitions: Int32
        /// Storage instances per broker.
        public var stores: Int32
        /// Creates a topic.
        public init(name: String, partitions: Int32, stores: Int32 = 1) {
            self.name = name
            self.partitions = partitions
            self.stores = stores
        }
    }

    /// The address every server binds.
    public var host: String
    /// The master's RPC port (0 = pick a free one).
    public var masterPort: Int
    /// One entry per broker: its RPC port (0 = pick a free one).
    public var brokerPorts: [Int]
    /// The directory holding `master/` and `broker-N/`.
    public var dataDirectory: String
    /// Topics deployed on every broker.
    public var topics: [Topic]
    /// Delay before the master's first balance round.
    public var firstBalanceDelayMs: Int64
    /// Period of the master's balance rounds.
    public var balancePeriodMs: Int64
    /// Consumer heartbeat timeout at the master.
    public var consumerHeartbeatTimeoutMs: Int64
    /// Producer heartbeat timeout at the master.
    public var producerHeartbeatTimeoutMs: Int64
    /// Broker heartbeat timeout at the master.
    public var brokerHeartbeatTimeoutMs: Int64
    /// How often brokers heartbeat to the master.
    public var brokerHeartbeatPeriodMs: Int64
    /// Consumer timeout at the brokers.
    public var brokerConsumerTimeoutMs: Int64
    /// The brokers' storage I/O backend.
    public var io: IOBackend
    /// The master's HTTP admin webapi port (`[master] webPort`; 0 = pick a free one).
    public var masterWebPort: Int
    /// One entry per broker: its HTTP webapi port (`[broker] webPort`; 0 = pick a free one).
    /// Brokers past the end of the list get a free port.
    public var brokerWebPorts: [Int]
    /// The token the master webapi's modify methods need (`[master] confModAuthToken`).
    public var authToken: String
    /// Deliberately broken broker behaviours, for tests that prove a suite can fail; every broker gets them.
    public var _brokerFaults: _BrokerFaults = _BrokerFaults()
    /// The brokers' default acknowledgement policy (`tubemq standalone --ack`).
    public var acknowledgement: FlushPolicy.Acknowledgement = .memory
    /// The brokers' default size cap per topic (`nil`: none).
    public var retentionBytes: Int64? = nil
    /// Ports of further masters on ``host`` the brokers fail over to (tests of master failover).
    public var backupMasterPorts: [Int] = []
    /// The master's authentication and authorisation switches (all off by default).
    public var security: SecuritySettings = SecuritySettings()
    /// The brokers' visit credentials for the master (`needBrokerVisitAuth`); `nil` sends none.
    public var brokerVisitCredentials: (name: String, password: String)? = nil
    /// The brokers' delay after registration before visit tokens are enforced.
    public var brokerVisitTokenGraceMs: Int64 = 120_000

    /// TLS listeners beside the plain ones, with the key store and trust settings of this value (its
    /// port is not used): the master's on ``masterTLSPort``, broker *i*'s on ``brokerTLSPorts``[*i*]
    /// (a free port past the end of the list). `nil` serves plain TCP only.
    public var tls: TLSSettings? = nil
    /// The master's TLS port when ``tls`` is set (0 = pick a free one).
    public var masterTLSPort: Int = 8716
    /// The master's HTTPS webapi and console port when ``tls`` is set (0 = pick a free one).
    public var masterWebTLSPort: Int = 8443
    /// The brokers reach the master's TLS port (``tls`` must be set) with this client context,
    /// instead of its plain port (broker.ini `[tlsSetting] masterTLSEnable`).
    public var brokerMasterTLS: NIOSSLContext? = nil
    /// One entry per broker: its TLS port when ``tls`` is set (0 = pick a free one).
    public var brokerTLSPorts: [Int] = [8124]
    /// One entry per broker: its HTTPS webapi port when ``tls`` is set (0, or past the end of the
    /// list: pick a free one).
    public var brokerWebTLSPorts: [Int] = [8444]

    /// The token the brokers' offset-moving webapi methods need (`confModAuthToken`); `nil` checks none.
    public var brokerWebAdminToken: String? = nil

    /// Has the master authenticate producers and consumers against the users in `userFile`, and the
    /// brokers check the visit tokens the master hands them (`startVisitTokenCheck`): a client that
    /// never authenticated must not send or read by calling a broker directly.
    public mutating func requireAuthentication(userFile: String) {
        security.produceAuthenticate = true
        security.consumeAuthenticate = true
        security.visitTokenCheck = true
        security.userFile = userFile
    }

    /// Creates a configuration. The defaults are the standalone command's: real ports, a `demo`
    /// topic with 3 partitions, and a balance delay and period of a few seconds.
    public init(
        host: String = "127.0.0.1",
        masterPort: Int = 8715,
        brokerPorts: [Int] = [8123],
        dataDirectory: String = "data",
        topics: [Topic] = [Topic(name: "demo", partitions: 3)],
        firstBalanceDelayMs: Int64 = 1000,
        balancePeriodMs: Int64 = 1000,
        consumerHeartbeatTimeoutMs: Int64 = 30_000,
        producerHeartbeatTimeoutMs: Int64 = 45_000,
        brokerHeartbeatTimeoutMs: Int64 = 25_000,
        brokerHeartbeatPeriodMs: Int64 = 2000,
        brokerConsumerTimeoutMs: Int64 = 30_000,
        io: IOBackend = .uring,
        masterWebPort: Int = 8080,
        brokerWebPorts: [Int] = [8081],
        authToken: String = "ASDFGHJKL"
    ) {
        self.host = host
        self.masterPort = masterPort
        self.brokerPorts = brokerPorts
        self.dataDirectory = dataDirectory
        self.topics = topics
        self.firstBalanceDelayMs = firstBalanceDelayMs
        self.balancePeriodMs = balancePeriodMs
        self.consumerHeartbeatTimeoutMs = consumerHeartbeatTimeoutMs
        self.producerHeartbeatTimeoutMs = producerHeartbeatTimeoutMs
        self.brokerHeartbeatTimeoutMs = brokerHeartbeatTimeoutMs
        self.brokerHeartbeatPeriodMs = brokerHeartbeatPeriodMs
        self.brokerConsumerTimeoutMs = brokerConsumerTimeoutMs
        self.io = io
        self.masterWebPort = masterWebPort
        self.brokerWebPorts = brokerWebPorts
        self.authToken = authToken
    }
}
