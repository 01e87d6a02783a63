import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQStandalone
import TubeMQTestKit

/// `tubemq admin reset-offsets` with several brokers: `--broker` limits a reset to one broker (a
/// partition id names a partition on every broker), and `--broker-token id=token` gives a broker
/// whose webapi token differs its own.
@Suite struct ResetOffsetsBrokerTests {
    static let topic = LocalClusterConfiguration.Topic(name: "t_reset_broker", partitions: 1)

    @Test func aResetCanBeLimitedToOneBroker() async throws {
        try await ClusterTestSupport.withCluster(brokers: 2, topics: [Self.topic]) { cluster, _ in
            let masters = [MasterAddress(host: cluster.masterAddress.host, port: cluster.masterAddress.port)]
            let producer = try await Producer(configuration: .init(masters: masters), logger: ClusterTestSupport.logger)
            try await producer.publish([Self.topic.name])
            for i in 0..<20 { try await producer.send(Message(body: Array("m-\(i)".utf8)), to: Self.topic.name) }
            await producer.shutdown()
            let directory = ClusterTestSupport.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            func admin(_ name: String, _ arguments: [String]) async throws -> (Int32?, String) {
                let output = directory + "/\(name).out"
                let command = try ChildProcess.spawn(
                    [ConsumeInterruptTests.binary, "admin", "--web", "http://127.0.0.1:\(cluster.masterWeb.port)"]
                        + arguments,
                    output: output
                )
                let status = await command.exit(within: .seconds(30))
                if status == nil { command.signal(SIGKILL) }
                return (status, ConsumeInterruptTests.text(output))
            }
            let reset = ["reset-offsets", "--group", "g_reset", "--topic", Self.topic.name]
            let (latest, latestText) = try await admin("latest", reset + ["--to-latest", "--broker", "2"])
            #expect(latest == 0, "\(latestText)")
            // Only broker 2's partition moved to its end; broker 1's has no offset yet.
            let rows = latestText.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
                .filter { $0.first == Self.topic.name }
            #expect(rows.count == 2, "\(latestText)")
            let byBroker = Dictionary(rows.map { ($0[2], $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byBroker["1"]?[3] == "-", "broker 1 untouched: \(latestText)")
            #expect(byBroker["2"]?[3] == byBroker["2"]?[4], "broker 2 at its end: \(latestText)")
            #expect(byBroker["2"]?[3] != "0", "\(latestText)")

            let (absent, absentText) = try await admin("absent", reset + ["--to-earliest", "--broker", "9"])
            #expect(absent == 1, "\(absentText)")
            #expect(absentText.contains("is not deployed on broker 9"), "\(absentText)")
            let (bad, badText) = try await admin("bad", reset + ["--to-earliest", "--broker-token", "x"])
            #expect(bad == 64, "\(badText)")
            #expect(badText.contains("--broker-token takes brokerId=token"), "\(badText)")
        }
    }
}
