import Foundation
import NIOCore
import NIOPosix
import Testing
import TubeMQStandalone
import TubeMQTestKit

/// `tubemq admin call` exits 1 when the webapi refuses the call or any item of a batch answer (a
/// record in `data` with `success: false`), so a script notices; it exited 0 on a refused item.
/// And `tubemq admin` gives up on a webapi that accepts the connection and never answers (a stopped
/// master) after `--timeout`; it waited URLSession's 60 s.
@Suite struct AdminCallExitTests {
    static let topic = LocalClusterConfiguration.Topic(name: "t_admin_exit", partitions: 1)

    @Test func aRefusedItemFailsTheCommand() async throws {
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [Self.topic]) { cluster, _ in
            let directory = ClusterTestSupport.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            func run(_ policy: String) async throws -> (Int32?, String) {
                let output = directory + "/\(policy).out"
                let command = try ChildProcess.spawn(
                    [
                        ConsumeInterruptTests.binary, "admin", "--web", "http://127.0.0.1:\(cluster.masterWeb.port)",
                        "call", "admin_modify_topic_info", "topicName=\(Self.topic.name)", "brokerId=1",
                        "deletePolicy=\(policy)",
                    ],
                    output: output
                )
                let status = await command.exit(within: .seconds(30))
                if status == nil { command.signal(SIGKILL) }
                return (status, ConsumeInterruptTests.text(output))
            }
            let (refused, refusedText) = try await run("delete,0")
            #expect(refused == 1, "\(refusedText)")
            #expect(refusedText.contains("1 of 1 items were refused"), "\(refusedText)")
            let (accepted, acceptedText) = try await run("delete,2h")
            #expect(accepted == 0, "\(acceptedText)")
        }
    }

    @Test func aSilentWebapiTimesOut() async throws {
        // Accepts connections and reads requests, and never answers: a master stopped with SIGSTOP.
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let directory = ClusterTestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/topics.out"
        let started = ContinuousClock.now
        let command = try ChildProcess.spawn(
            [ConsumeInterruptTests.binary, "admin", "--web", "http://127.0.0.1:\(port)", "--timeout", "1", "topics"],
            output: output
        )
        let status = await command.exit(within: .seconds(30))
        if status == nil { command.signal(SIGKILL) }
        let text = ConsumeInterruptTests.text(output)
        #expect(status != nil && status != 0, "\(text)")
        #expect(ContinuousClock.now - started < .seconds(20), "\(text)")
        #expect(text.contains("no answer within 1 s"), "\(text)")
    }
}
