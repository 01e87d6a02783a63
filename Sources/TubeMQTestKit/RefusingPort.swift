import Glibc

/// A loopback port that refuses connections for as long as it is held: bound, never listening.
///
/// A port a test closed and expects to stay dead can be bound by another test's server in the same
/// run (`port: 0` hands ports out again), which then accepts the connection the test expected to be
/// refused. It happened: a producer's "unreachable" broker was another test's web server, which closed
/// the connection as past its limit, and both tests failed. A bound socket keeps the port out of
/// anyone else's hands, and the kernel answers a connect to it with a reset.
public final class RefusingPort: Sendable {
    /// A socket call that failed while taking the port.
    public struct Failure: Error, CustomStringConvertible {
        /// The call: `socket`, `bind` or `getsockname`.
        public var call: String
        /// Its `errno`.
        public var errno: Int32
        public var description: String { "\(call) failed for a refusing port: errno \(errno)" }
    }

    /// The port, on 127.0.0.1.
    public let port: Int
    private let socket: Int32

    /// Binds a port on 127.0.0.1 without listening on it.
    public init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(call: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            let code = errno
            close(socket)
            throw Failure(call: bound != 0 ? "bind" : "getsockname", errno: code)
        }
        self.socket = socket
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socket) }
}
