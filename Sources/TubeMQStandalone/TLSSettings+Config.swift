public import TubeMQConfig
public import TubeMQRPC

extension TLSSettings {
    /// A listener on `port` with a `[tlsSetting]` section's key store, trust store and two-way auth
    /// (`tubemq-master` and `tubemq-broker` read theirs from master.ini and broker.ini).
    public init(_ tls: TLSConfig, port: Int) {
        self.init(
            port: port,
            keyStorePath: tls.keyStorePath,
            keyStorePassword: tls.keyStorePassword,
            twoWayAuth: tls.isTwoWayAuthEnabled,
            trustStorePath: tls.trustStorePath.isEmpty ? nil : tls.trustStorePath,
            trustStorePassword: tls.trustStorePassword
        )
    }
}
