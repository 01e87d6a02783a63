import NIOCore
import NIOPosix

/// A loopback port nothing listens on, below Linux's ephemeral range (32768 and up): a port the
/// system hands out for `port: 0` and for outgoing connections could be taken by another test before
/// a test starts its own server there (it was: "Address already in use").
///
/// For a server a test starts later, or in another process, on a port it must know in advance.
public func unusedPort() async throws -> Int {
    var lastError: (any Error)?
    for _ in 0..<50 {
        let port = Int.random(in: 10_000..<32_768)
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port)
                .get()
            try await channel.close()
            return port
        } catch {
            lastError = error
        }
    }
    throw lastError ?? CancellationError()
}
