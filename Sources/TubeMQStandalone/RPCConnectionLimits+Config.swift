public import TubeMQConfig
public import TubeMQRPC

extension RPCConnectionLimits {
    /// The limits of an ini file's `maxConnections` and `maxConnectionsPerAddress` (`tubemq-master` and
    /// `tubemq-broker` read theirs from master.ini and broker.ini).
    public init(_ config: ConnectionLimitsConfig) {
        self.init(maxConnections: config.maxConnections, maxConnectionsPerAddress: config.maxConnectionsPerAddress)
    }
}
