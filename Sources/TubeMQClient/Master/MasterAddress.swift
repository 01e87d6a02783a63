/// The RPC address of a TubeMQ master.
public struct MasterAddress: Sendable, Hashable, CustomStringConvertible {
    /// The master's default RPC port (`META_DEFAULT_MASTER_PORT`).
    public static let defaultPort = 8715

    /// Host name or IP address.
    public var host: String
    /// RPC port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int = MasterAddress.defaultPort) {
        self.host = host
        self.port = port
    }

    /// Parses `host` or `host:port`; `nil` when the host is empty or the port is not a valid number.
    public init?(parsing text: some StringProtocol) {
        let trimmed = text.trimmingCharacters(in: " ")
        guard !trimmed.isEmpty else { return nil }
        if let colon = trimmed.lastIndex(of: ":") {
            let host = String(trimmed[..<colon])
            guard !host.isEmpty, let port = Int(trimmed[trimmed.index(after: colon)...]), (1...65_535).contains(port)
            else { return nil }
            self.init(host: host, port: port)
        } else {
            self.init(host: trimmed)
        }
    }

    /// Parses a master list as the Java client takes it, `host1:port1,host2:port2`; malformed entries are skipped.
    public static func list(parsing text: String) -> [MasterAddress] {
        text.split(separator: ",").compactMap { MasterAddress(parsing: $0) }
    }

    public var description: String { "\(host):\(port)" }
}

extension StringProtocol {
    func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}
