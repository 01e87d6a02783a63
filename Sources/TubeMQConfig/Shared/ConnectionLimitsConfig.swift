/// `maxConnections` and `maxConnectionsPerAddress` (ours, in `[master]` and in `[broker]`): how many
/// RPC connections the server keeps open in all, and from one IP address. A connection past either is
/// closed as soon as it is accepted, with a log line.
///
/// The per-address limit keeps one host that holds connections open from locking every other client
/// out; where every client runs on one host (a single-machine deployment, all on loopback), raise it
/// up to `maxConnections`.
public struct ConnectionLimitsConfig: Sendable, Hashable {
    /// The key names, as they appear in `[master]` and `[broker]`.
    static let keyNames = ["maxConnections", "maxConnectionsPerAddress"]

    /// `maxConnections` (default 4096, at least 1).
    public var maxConnections = 4_096
    /// `maxConnectionsPerAddress` (default 1024, from 1 to `maxConnections`).
    public var maxConnectionsPerAddress = 1_024

    /// The defaults.
    public init() {}

    /// Reads both keys from `reader`'s section; out-of-range values are clamped with a warning.
    mutating func load(_ reader: inout SectionReader) throws(ConfigError) {
        if let value = try reader.int("maxConnections") {
            maxConnections = reader.atLeast("maxConnections", value, 1)
        }
        if let value = try reader.int("maxConnectionsPerAddress") {
            maxConnectionsPerAddress = reader.clamp("maxConnectionsPerAddress", value, to: 1...maxConnections)
        } else {
            maxConnectionsPerAddress = min(maxConnectionsPerAddress, maxConnections)
        }
    }
}
