/// A `host:port` address from an address list such as `masterAddressList` or `auditProxyAddr`.
public struct HostAndPort: Sendable, Hashable, CustomStringConvertible {
    /// The host name or IP address.
    public var host: String
    /// The port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`.
    public var description: String { "\(host):\(port)" }

    /// Parses `ip1:port1,ip2:port2,...`; items are trimmed and must each be a non-blank host, `:`, and an
    /// `int` port in 0...65535. Returns the problem as text for the caller to wrap, or the addresses.
    static func parseList(_ text: String) -> Result<[HostAndPort], ListError> {
        var addresses: [HostAndPort] = []
        for rawItem in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = IniParser.javaTrim(rawItem)
            guard !item.isEmpty else { return .failure(ListError("an empty item")) }
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return .failure(ListError("\"\(item)\" is not host:port")) }
            let host = IniParser.javaTrim(parts[0])
            guard !host.isEmpty else { return .failure(ListError("\"\(item)\" has a blank host")) }
            guard let port = JavaValueParsing.parseInt(IniParser.javaTrim(parts[1])), (0...65535).contains(port) else {
                return .failure(ListError("\"\(item)\" has an invalid port"))
            }
            addresses.append(HostAndPort(host: host, port: port))
        }
        return .success(addresses)
    }

    /// Why an address list did not parse.
    struct ListError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
