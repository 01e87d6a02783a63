public import NIOSSL
public import TubeMQCore

/// Settings of a ``Producer``.
extension Producer {
    /// How a ``Producer`` connects and behaves.
    public struct Configuration: Sendable {
        /// The masters of the cluster, tried in order (the active one answers, standbys are skipped).
        public var masters: [MasterAddress]
        /// The period of heartbeats to the master (which refresh the partition map). Java's default is 13 s;
        /// the master forgets a producer silent for 45 s.
        public var heartbeatPeriod: Duration
        /// How long an RPC to a master or broker may take.
        public var rpcTimeout: Duration
        /// How many partitions a message is tried on when a broker is unavailable (503) or unreachable.
        public var maxSendAttempts: Int
        /// How long a broker that answered 503 or dropped the connection is avoided.
        public var brokerBackoff: Duration
        /// How long `send` waits for the partitions of a just-published topic before failing with `noPartition`.
        public var partitionWaitTimeout: Duration
        /// The client id to use; a Java-shaped one (`ip-pid-time-counter-version`) when `nil`.
        public var clientID: String?
        /// The local address reported to the master and brokers; the first non-loopback IPv4 address when `nil`.
        public var localAddress: String?
        /// The clock heartbeats and send deadlines read (the wall clock; tests pass a manual one).
        public var clock: any WallClock
        /// The user and password to sign master requests with, when the master authenticates
        /// producers (`startProduceAuthenticate`); `nil` sends none.
        public var credentials: Credentials? = nil
        /// Speak TLS to masters and brokers (their `[tlsSetting]` ports) with this context, e.g.
        /// `TLSSettings.makeClientContext(trustStorePath:)`; `nil` speaks plain TCP. The master addresses must
        /// then be TLS ports; the master, on its TLS port, tells the client each broker's TLS port.
        public var tls: NIOSSLContext? = nil
        /// How long connecting waits for an active master while the masters that answer all say they
        /// are standby: the active one is gone and the next is not yet elected (after a crash, up to
        /// the masters' `zkSessionTimeoutMs`, 30 s in TubeMQ's sample master.ini). Masters that do not
        /// answer at all fail the connection at once, as does `.zero`.
        public var masterTakeoverWait: Duration = .seconds(30)
        /// How long ``Producer/shutdown()`` may take in all: waiting for the sends in flight and closing
        /// at the master. A frozen or unreachable broker or master answers nothing; after this the
        /// producer closes its connections, a send still waiting fails (its outcome unknown: it may
        /// be stored), and shutdown returns (the master then times the producer out).
        public var leaveTimeout: Duration = .seconds(5)

        /// Creates a configuration with the defaults described on each property.
        public init(
            masters: [MasterAddress],
            heartbeatPeriod: Duration = .seconds(13),
            rpcTimeout: Duration = .seconds(10),
            maxSendAttempts: Int = 3,
            brokerBackoff: Duration = .seconds(5),
            partitionWaitTimeout: Duration = .seconds(5),
            clientID: String? = nil,
            localAddress: String? = nil,
            clock: any WallClock = SystemWallClock()
        ) {
            self.masters = masters
            self.heartbeatPeriod = heartbeatPeriod
            self.rpcTimeout = rpcTimeout
            self.maxSendAttempts = maxSendAttempts
            self.brokerBackoff = brokerBackoff
            self.partitionWaitTimeout = partitionWaitTimeout
            self.clientID = clientID
            self.localAddress = localAddress
            self.clock = clock
        }
    }
}
