/// A broker as clients address it: its numeric id, host and RPC port.
public struct BrokerInfo: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The broker's default RPC port (`META_DEFAULT_BROKER_PORT`).
    public static let defaultPort = 8123

    /// The broker id, unique in the cluster.
    public var id: Int32
    /// The host or IPv4 address clients connect to.
    public var host: String
    /// The RPC port.
    public var port: Int

    /// Creates a broker address.
    public init(id: Int32, host: String, port: Int = BrokerInfo.defaultPort) {
        self.id = id
        self.host = host
        self.port = port
    }

    public var description: String { "\(id):\(host):\(port)" }
}
