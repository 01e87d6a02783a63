import Logging
import NIOCore
import NIOPosix
import Testing
import TubeMQTestKit
import TubeMQWebSupport

/// The webapis serve at most a bounded number of connections at once, and one address at most a
/// quarter of them: connections past either are closed as soon as they are accepted, and served again
/// once others close. 20,000 idle HTTP connections used every descriptor of the master, whose RPC
/// port then stopped answering; 1,000 from one host locked every other operator out.
@Suite struct WebServerLimitTests {
    /// The server listens on an address of its own: other tests in the run connect to 127.0.0.1, and a
    /// client of theirs retrying a port this server was given would count against the limit here.
    static let host = "127.0.0.3"

    @Test func connectionsPastTheLimitAreClosedAtOnce() async throws {
        let server = try await WebServer.start(
            host: Self.host,
            port: 0,
            maxConnections: 12,
            logger: Logger(label: "test")
        ) { _ in
            WebReply(body: "ok", contentType: "text/plain", status: 200)
        }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        var open: [any Channel] = []
        do {
            // Four from this address: the server keeps three and closes one as soon as it takes it.
            // Which one is not fixed: a server that takes them together (a loaded machine) sets them up
            // on several event loops, in no set order.
            for _ in 0..<4 { open.append(try await bootstrap.connect(host: Self.host, port: server.port).get()) }
            let four = open
            try await eventually("the server closed one of the four") { four.contains { !$0.isActive } }
            try await Task.sleep(for: .milliseconds(300))
            #expect(open.filter(\.isActive).count == 3, "three are kept")
            open.removeAll { !$0.isActive }
            await #expect(throws: WebServerError.self) {
                _ = try await WebFetch.get(host: Self.host, port: server.port, path: "/", tls: nil)
            }
            // Another address is still served.
            let other = try await bootstrap.bind(to: try SocketAddress(ipAddress: "127.0.0.2", port: 0))
                .connect(host: Self.host, port: server.port).get()
            try await Task.sleep(for: .seconds(1))
            #expect(other.isActive, "a connection from another address is kept")
            try? await other.close()
            // One connection goes: a request is served again.
            try await open.removeFirst().close()
            var served = false
            for _ in 0..<50 where !served {
                served =
                    (try? await WebFetch.get(host: Self.host, port: server.port, path: "/", tls: nil))?
                    .status == 200
                if !served { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(served)
        } catch {
            for channel in open { try? await channel.close() }
            await server.shutdown()
            throw error
        }
        for channel in open { try? await channel.close() }
        await server.shutdown()
    }
}
