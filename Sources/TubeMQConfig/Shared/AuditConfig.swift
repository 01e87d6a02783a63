/// The broker's `[audit]` section: reporting produce/consume counts to an InLong audit proxy.
public struct AuditConfig: Sendable, Hashable {
    /// `auditEnable` (default false).
    public var isEnabled: Bool = false
    /// `auditProxyAddr` (default `127.0.0.1:10081`), as `ip:port,ip:port`, sorted as Java sorts them.
    public var proxyAddresses: [HostAndPort] = [HostAndPort(host: "127.0.0.1", port: 10081)]
    /// `auditCacheFilePath` (default `/data/inlong/audit`).
    public var cacheFilePath: String = "/data/inlong/audit"
    /// `auditCacheMaxRows` (default 2000000).
    public var cacheMaxRows: Int = 2_000_000
    /// `auditIdProduce` (default 9).
    public var produceAuditID: Int = 9
    /// `auditIdConsume` (default 10).
    public var consumeAuditID: Int = 10

    /// Creates the defaults.
    public init() {}

    /// The section name.
    static let section = "audit"
    /// Every key of the section.
    static let keys: Set<ConfigKey> = .keys(
        [
            "auditEnable", "auditProxyAddr", "auditCacheFilePath", "auditCacheMaxRows", "auditIdProduce",
            "auditIdConsume",
        ],
        in: section
    )

    /// Reads the section; an absent or empty section gives the defaults.
    ///
    /// - Throws: ``ConfigError`` ``ConfigError/Code/invalidValue`` for a malformed `auditProxyAddr`
    ///   (checked whenever it is set, as in Java), or for a value that is not a number.
    static func load(_ ini: IniFile) throws(ConfigError) -> AuditConfig {
        var config = AuditConfig()
        let reader = SectionReader(ini, section: section)
        guard reader.hasKeys else { return config }
        config.isEnabled = try reader.bool("auditEnable", default: false)
        if let text = reader.string("auditProxyAddr") {
            switch HostAndPort.parseList(text) {
            case .success(let addresses):
                config.proxyAddresses = addresses.sorted { $0.description < $1.description }
            case .failure(let failure):
                throw reader.error(
                    .invalidValue,
                    "auditProxyAddr's value must be like \"ip1:port,ip2:port\": \(failure.reason)",
                    "auditProxyAddr"
                )
            }
        }
        config.cacheFilePath = reader.string("auditCacheFilePath", default: config.cacheFilePath)
        config.cacheMaxRows = try reader.int("auditCacheMaxRows") ?? config.cacheMaxRows
        config.produceAuditID = try reader.int("auditIdProduce") ?? config.produceAuditID
        config.consumeAuditID = try reader.int("auditIdConsume") ?? config.consumeAuditID
        return config
    }
}
