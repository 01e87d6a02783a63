public import TubeMQMasterState
public import TubeMQRPC

extension MasterServer {
    /// Everything a master process needs to start: where to listen, where to keep its metadata, and
    /// its timings. A plain value the executable fills from `master.ini` (config.md §1.1); the
    /// defaults are the upstream code defaults.
    public struct Configuration: Sendable, Hashable {
        /// The address to bind (`[master] hostName`).
        public var host: String
        /// The RPC port (`[master] port`); 0 picks a free port.
        public var port: Int
        /// The data directory of the embedded metadata store; `nil` keeps metadata in memory only
        /// (nothing survives a restart).
        public var dataDirectory: String?
        /// Delay before the first balance round after start (`firstBalanceDelayAfterStartMs`).
        public var firstBalanceDelayMs: Int64
        /// Period of the balance rounds (`consumerBalancePeriodMs`).
        public var balancePeriodMs: Int64
        /// A consumer silent this long is dropped (`consumerHeartbeatTimeoutMs`).
        public var consumerHeartbeatTimeoutMs: Int64
        /// A producer silent this long is dropped (`producerHeartbeatTimeoutMs`).
        public var producerHeartbeatTimeoutMs: Int64
        /// A broker silent this long goes offline (`brokerHeartbeatTimeoutMs`).
        public var brokerHeartbeatTimeoutMs: Int64
        /// Whether a consumer leaving its group brings the next balance round forward to now
        /// (``MasterTimings/balancesWhenAMemberLeaves``; TubeMQ waits for the period).
        public var balancesWhenAMemberLeaves = true
        /// Connections with no inbound bytes for this long are closed
        /// (`rpc.connect.read.idle.duration`).
        public var connectionIdleTimeoutMs: Int64
        /// Authentication and authorisation switches (all off by default); a users file and a
        /// grants file beside the metadata when a data directory is set.
        public var security: SecuritySettings

        /// ``security`` with the grants file defaulting to `authorization.json` in the data directory.
        public var effectiveSecurity: SecuritySettings {
            var settings = security
            if settings.grantsFile == nil, let dataDirectory {
                settings.grantsFile = dataDirectory + "/authorization.json"
            }
            return settings
        }
        /// A TLS listener beside the plain one (`[tlsSetting]`); `nil` serves plain TCP only.
        public var tls: TLSSettings? = nil
        /// The RPC listeners' connection limits (`maxConnections`, `maxConnectionsPerAddress`, ours).
        public var connectionLimits = RPCConnectionLimits()

        /// Creates a configuration; every parameter defaults to the upstream code default.
        public init(
            host: String = "127.0.0.1",
            port: Int = 8715,
            dataDirectory: String? = nil,
            firstBalanceDelayMs: Int64 = 30_000,
            balancePeriodMs: Int64 = 60_000,
            consumerHeartbeatTimeoutMs: Int64 = 30_000,
            producerHeartbeatTimeoutMs: Int64 = 30_000,
            brokerHeartbeatTimeoutMs: Int64 = 30_000,
            connectionIdleTimeoutMs: Int64 = 300_000,
            security: SecuritySettings = SecuritySettings()
        ) {
            self.security = security
            self.host = host
            self.port = port
            self.dataDirectory = dataDirectory
            self.firstBalanceDelayMs = firstBalanceDelayMs
            self.balancePeriodMs = balancePeriodMs
            self.consumerHeartbeatTimeoutMs = consumerHeartbeatTimeoutMs
            self.producerHeartbeatTimeoutMs = producerHeartbeatTimeoutMs
            self.brokerHeartbeatTimeoutMs = brokerHeartbeatTimeoutMs
            self.connectionIdleTimeoutMs = connectionIdleTimeoutMs
        }

        /// The timing knobs, as the state machine takes them.
        public var timings: MasterTimings {
            MasterTimings(
                firstBalanceDelayMs: firstBalanceDelayMs,
                balancePeriodMs: balancePeriodMs,
                consumerHeartbeatTimeoutMs: consumerHeartbeatTimeoutMs,
                producerHeartbeatTimeoutMs: producerHeartbeatTimeoutMs,
                brokerHeartbeatTimeoutMs: brokerHeartbeatTimeoutMs,
                balancesWhenAMemberLeaves: balancesWhenAMemberLeaves
            )
        }
    }
}

extension MasterServer.Configuration {
    /// The settings of an RPC listener on `port` (the plain one, or the TLS one).
    func rpcConfiguration(port: Int) -> RPCServerConfiguration {
        var rpc = RPCServerConfiguration(host: host, port: port, idleTimeout: .milliseconds(connectionIdleTimeoutMs))
        rpc.connectionLimits = connectionLimits
        return rpc
    }
}
