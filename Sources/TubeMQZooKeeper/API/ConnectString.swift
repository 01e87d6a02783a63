/// A parsed connect string: `host1:port1,host2:port2[/chroot]`.
public struct ConnectString: Sendable, Hashable, CustomStringConvertible {
    /// One ensemble member.
    public struct Address: Sendable, Hashable, CustomStringConvertible {
        /// Host name or IP address.
        public var host: String
        /// TCP port.
        public var port: Int
        /// Creates an address.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// The members, in the order given.
    public var addresses: [Address]
    /// A path every request path is relative to (`nil`: the root).
    public var chroot: String?

    /// Parses a connect string; a member without a port gets 2181.
    ///
    /// - Throws: ``ZooKeeperError`` `invalidArgument` for an empty list, a bad port or a bad chroot.
    public init(_ text: String) throws(ZooKeeperError) {
        var hosts = Substring(text)
        chroot = nil
        if let slash = text.firstIndex(of: "/") {
            let root = String(text[slash...])
            hosts = text[..<slash]
            if root != "/" {
                guard !root.hasSuffix("/"), !root.contains("//") else {
                    throw ZooKeeperError(.invalidArgument, "bad chroot in connect string \"\(text)\"")
                }
                chroot = root
            }
        }
        addresses = []
        for part in hosts.split(separator: ",", omittingEmptySubsequences: true) {
            let member = part.trimmingCharacters(in: " ")
            var host = Substring(member)
            var port = 2181
            if member.hasPrefix("["), let close = member.firstIndex(of: "]") {
                host = member[member.index(after: member.startIndex)..<close]
                let rest = member[member.index(after: close)...]
                if rest.hasPrefix(":") {
                    guard let parsed = Int(rest.dropFirst()), (1...65535).contains(parsed) else {
                        throw ZooKeeperError(.invalidArgument, "bad port in connect string \"\(text)\"")
                    }
                    port = parsed
                }
            } else if let colon = member.lastIndex(of: ":") {
                host = member[..<colon]
                guard let parsed = Int(member[member.index(after: colon)...]), (1...65535).contains(parsed) else {
                    throw ZooKeeperError(.invalidArgument, "bad port in connect string \"\(text)\"")
                }
                port = parsed
            }
            guard !host.isEmpty else { throw ZooKeeperError(.invalidArgument, "empty host in \"\(text)\"") }
            addresses.append(Address(host: String(host), port: port))
        }
        guard !addresses.isEmpty else {
            throw ZooKeeperError(.invalidArgument, "no server in connect string \"\(text)\"")
        }
    }

    public var description: String {
        addresses.map(\.description).joined(separator: ",") + (chroot ?? "")
    }

    /// The server path for a client path.
    func serverPath(_ path: String) -> String {
        guard let chroot else { return path }
        return path == "/" ? chroot : chroot + path
    }

    /// The client path for a server path (strips the chroot).
    func clientPath(_ path: String) -> String {
        guard let chroot else { return path }
        if path == chroot { return "/" }
        if path.hasPrefix(chroot + "/") { return String(path.dropFirst(chroot.count)) }
        return path
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}
