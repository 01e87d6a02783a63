import Testing
import TubeMQRPC
import TubeMQTestKit

#if canImport(Glibc)
import Glibc
#endif

/// A client that goes away with a reset (a killed process) is routine for a server: it is logged at
/// info, not as a warning about an error (an outside soak found one warning per killed client).
@Suite struct PeerResetLogTests {
    @Test func aPeerResetIsLoggedAtInfo() async throws {
        let capture = LogCapture()
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(port: 0),
            service: EchoService(execution: .batchedOnEventLoop),
            logger: capture.logger()
        )
        let fd = try loopbackSocket(port: server.localPort)
        try await Task.sleep(for: .milliseconds(200))  // let the server accept it
        Self.reset(fd)
        try await eventually("the reset is logged") {
            capture.all.contains { $0.message == "peer reset the connection" }
        }
        await server.shutdown()
        let records = capture.all.filter { $0.message == "peer reset the connection" }
        #expect(records.allSatisfy { $0.level == .info }, "\(capture.lines)")
        #expect(
            !capture.all.contains { $0.level >= .warning && $0.message == "closing connection after error" },
            "\(capture.lines)"
        )
    }

    /// Closes `fd` with a reset (`SO_LINGER` 0), as a connection of a killed process can end.
    static func reset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }
}
