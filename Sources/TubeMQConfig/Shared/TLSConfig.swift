/// The `[tlsSetting]` section (master and broker): an extra TLS listener for the RPC protocol.
///
/// The keys other than `tlsEnable` are read only when it is true, as in Java.
public struct TLSConfig: Sendable, Hashable {
    /// The master's default TLS port.
    public static let defaultMasterPort = 8716
    /// The broker's default TLS port.
    public static let defaultBrokerPort = 8124
    /// The master's default HTTPS webapi port (`webTLSPort`, ours).
    public static let defaultWebPort = 8443
    /// The broker's default HTTPS webapi port (`webTLSPort`, ours).
    public static let defaultBrokerWebPort = 8444

    /// `tlsEnable` (default false): start the TLS listener.
    public var isEnabled: Bool = false
    /// `tlsPort` (master 8716, broker 8124); 0 picks a free port.
    public var port: Int
    /// `tlsKeyStorePath`: required when enabled.
    public var keyStorePath: String = ""
    /// `tlsKeyStorePassword`: required when enabled.
    public var keyStorePassword: String = ""
    /// `tlsTwoWayAuthEnable` (default false): require client certificates.
    public var isTwoWayAuthEnabled: Bool = false
    /// `tlsTrustStorePath`: required when two-way auth is on.
    public var trustStorePath: String = ""
    /// `tlsTrustStorePassword`: required when two-way auth is on.
    public var trustStorePassword: String = ""
    /// `webTLSEnable` (ours; default false): also serve the webapi (on the master, the console too)
    /// over HTTPS with this section's key store (and its client-certificate check under two-way auth).
    public var isWebEnabled: Bool = false
    /// `webTLSPort` (ours; master 8443, broker 8444): the HTTPS webapi port; 0 picks a free port.
    public var webPort: Int = TLSConfig.defaultWebPort
    /// `masterTLSEnable` (broker only, ours; default false): speak TLS to the master, whose
    /// `masterAddressList` entries are then its TLS ports, trusting `tlsTrustStorePath`.
    public var isMasterLinkEnabled: Bool = false

    /// Creates a disabled TLS configuration with `port` as its port.
    public init(port: Int) { self.port = port }

    /// The section name.
    static let section = "tlsSetting"
    /// Every key of the section.
    static let keys: Set<ConfigKey> = .keys(
        [
            "tlsEnable", "tlsPort", "tlsKeyStorePath", "tlsKeyStorePassword", "tlsTwoWayAuthEnable",
            "tlsTrustStorePath", "tlsTrustStorePassword",
        ],
        in: section
    )
    /// The section's keys for HTTPS (ours, master and broker): the webapi (and the master's console).
    static let webKeys: Set<ConfigKey> = .keys(["webTLSEnable", "webTLSPort"], in: section)
    /// The broker's own key of the section (ours): TLS on its link to the master.
    static let masterLinkKeys: Set<ConfigKey> = .keys(["masterTLSEnable"], in: section)

    /// With `webTLSEnable`: fails with a conflict naming `webTLSPort` when the HTTPS port is one of the
    /// other listeners' (`port`, `webPort`, this section's `tlsPort`, `promHttpPort` when it is on);
    /// 0 ("pick a free port") never conflicts.
    func checkWebPort(
        port: Int,
        webPort: Int,
        prometheus: PrometheusConfig,
        fail: (ConfigError.Code, String, ConfigKey) -> ConfigError
    ) throws(ConfigError) {
        guard isWebEnabled, self.webPort != 0 else { return }
        let others =
            [port, webPort] + (isEnabled ? [self.port] : []) + (prometheus.isEnabled ? [prometheus.httpPort] : [])
        if others.contains(self.webPort) {
            throw fail(
                .conflict,
                "webTLSPort \(self.webPort) is already used by port, webPort, tlsPort or promHttpPort",
                ConfigKey(section: Self.section, name: "webTLSPort")
            )
        }
    }

    /// Reads the section; an absent or empty section gives the defaults. With `readsWebKeys`
    /// `webTLSEnable` and `webTLSPort` are read too, and the key store is read when either
    /// listener is on.
    ///
    /// - Throws: ``ConfigError`` for a missing keystore or truststore setting while enabled.
    static func load(
        _ ini: IniFile,
        defaultPort: Int,
        readsWebKeys: Bool = false,
        defaultWebPort: Int = TLSConfig.defaultWebPort,
        readsMasterLinkKeys: Bool = false,
        warnings: inout [ConfigWarning]
    ) throws(ConfigError) -> TLSConfig {
        var config = TLSConfig(port: defaultPort)
        config.webPort = defaultWebPort
        var reader = SectionReader(ini, section: section)
        defer { warnings += reader.warnings }
        guard reader.hasKeys else { return config }
        config.isEnabled = try reader.bool("tlsEnable", default: false)
        if readsWebKeys {
            config.isWebEnabled = try reader.bool("webTLSEnable", default: false)
            if config.isWebEnabled { config.webPort = reader.int("webTLSPort", default: defaultWebPort) }
        }
        if readsMasterLinkKeys { config.isMasterLinkEnabled = try reader.bool("masterTLSEnable", default: false) }
        if config.isEnabled || config.isWebEnabled {
            if config.isEnabled { config.port = reader.int("tlsPort", default: defaultPort) }
            config.keyStorePath = try reader.requiredString("tlsKeyStorePath")
            config.keyStorePassword = try reader.requiredString("tlsKeyStorePassword")
            config.isTwoWayAuthEnabled = try reader.bool("tlsTwoWayAuthEnable", default: false)
            if config.isTwoWayAuthEnabled {
                config.trustStorePath = try reader.requiredString("tlsTrustStorePath")
                config.trustStorePassword = try reader.requiredString("tlsTrustStorePassword")
            }
        }
        if config.isMasterLinkEnabled && config.trustStorePath.isEmpty {
            config.trustStorePath = try reader.requiredString("tlsTrustStorePath")
            config.trustStorePassword = reader.string("tlsTrustStorePassword", default: "")
        }
        return config
    }
}
