import Foundation
import NIOCore
import NIOPosix
import Testing
import TubeMQTestKit

/// `tubemq-master` takes its connection limits from master.ini (`maxConnectionsPerAddress`, ours): a
/// single-host deployment, every client on loopback, was capped at 1,024 connections with no key to
/// raise it.
@Suite struct MasterConnectionLimitTests {
    @Test func thePerAddressLimitOfMasterIniIsActedOn() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (master, port, output) = try await ClusterTestSupport.startMasterProcess(
            in: directory,
            extra: "maxConnectionsPerAddress=2"
        )
        defer { if master.exitStatus() == nil { master.signal(SIGKILL) } }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        var open: [any Channel] = []
        defer { for channel in open { channel.close(promise: nil) } }
        for _ in 0..<2 { open.append(try await bootstrap.connect(host: "127.0.0.1", port: port).get()) }
        let third = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
        open.append(third)
        try await eventually("the third connection from 127.0.0.1 is closed", timeout: .seconds(10)) {
            !third.isActive
        }
        let other = try await bootstrap.bind(to: try SocketAddress(ipAddress: "127.0.0.2", port: 0))
            .connect(host: "127.0.0.1", port: port).get()
        open.append(other)
        try await Task.sleep(for: .milliseconds(500))
        #expect(other.isActive, "a connection from another address is kept")
        #expect(open[0].isActive && open[1].isActive)
        let text = ConsumeInterruptTests.text(output)
        #expect(text.contains("per-address connection limit"), "\(text)")
        master.signal(SIGTERM)
        _ = await master.exit(within: .seconds(20))
    }
}
