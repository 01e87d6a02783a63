#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP socket connected to 127.0.0.1:`port`, for tests that need what NIO does not offer
/// (a connection closed with a reset, raw bytes read with a timeout). The caller closes it.
///
/// - Throws: ``TestTimeout`` when no socket can be made or the connection is refused.
public func loopbackSocket(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestTimeout(description: "no socket: errno \(errno)") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else {
        let reason = errno
        close(fd)
        throw TestTimeout(description: "cannot connect to 127.0.0.1:\(port): errno \(reason)")
    }
    return fd
}
