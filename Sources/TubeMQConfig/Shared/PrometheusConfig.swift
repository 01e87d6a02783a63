/// The `[prometheus]` section (master and broker): the metrics HTTP endpoint.
public struct PrometheusConfig: Sendable, Hashable {
    /// `promEnable` (default false): start the endpoint.
    public var isEnabled: Bool = false
    /// `promHttpPort` (default 9081); must not clash with the other ports when enabled.
    public var httpPort: Int = 9081
    /// `promClusterName` (default `InLong`): the cluster label value.
    public var clusterName: String = "InLong"
    /// `promSnapshotIntvl` (default 60000 ms). A field of the Java config class that its loader does not read;
    /// we read it.
    public var snapshotIntervalMs: Int64 = 60_000
    /// `promMetricDomains` (default `TubeMQ`). A field the Java loader does not read; we read it.
    public var metricDomains: String = "TubeMQ"

    /// Creates the defaults.
    public init() {}

    /// The section name.
    static let section = "prometheus"
    /// Every key of the section.
    static let keys: Set<ConfigKey> = .keys(
        ["promEnable", "promHttpPort", "promClusterName", "promSnapshotIntvl", "promMetricDomains"],
        in: section
    )

    /// The keys acted on: the endpoint is served on `promHttpPort` when `promEnable` is true. The
    /// others (the cluster label, the snapshot interval, the metric domains) have no effect.
    public static let servedKeys: Set<ConfigKey> = .keys(["promEnable", "promHttpPort"], in: section)

    /// Reads the section; an absent or empty section gives the defaults.
    ///
    /// - Throws: ``ConfigError`` for a value that is not a number.
    static func load(_ ini: IniFile) throws(ConfigError) -> PrometheusConfig {
        var config = PrometheusConfig()
        let reader = SectionReader(ini, section: section)
        guard reader.hasKeys else { return config }
        config.isEnabled = try reader.bool("promEnable", default: false)
        config.clusterName = reader.string("promClusterName", default: config.clusterName)
        config.httpPort = try reader.int("promHttpPort") ?? config.httpPort
        config.snapshotIntervalMs = try reader.long("promSnapshotIntvl") ?? config.snapshotIntervalMs
        config.metricDomains = reader.string("promMetricDomains", default: config.metricDomains)
        return config
    }
}
