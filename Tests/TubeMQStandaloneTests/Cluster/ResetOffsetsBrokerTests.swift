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
                try await Self.admin(cluster, in: directory, name, arguments)
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

    /// Asked about one topic, a broker answers for every group it books, with no committed offset and
    /// the whole topic as lag for those that never read it: `offsets` and `lag` leave them out.
    @Test func groupsThatNeverReadATopicShowNoLagOnIt() async throws {
        let read = LocalClusterConfiguration.Topic(name: "t_lag_read", partitions: 1)
        let other = LocalClusterConfiguration.Topic(name: "t_lag_other", partitions: 1)
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [read, other]) { cluster, _ in
            let masters = [MasterAddress(host: cluster.masterAddress.host, port: cluster.masterAddress.port)]
            let producer = try await Producer(configuration: .init(masters: masters), logger: ClusterTestSupport.logger)
            try await producer.publish([read.name, other.name])
            for i in 0..<10 {
                try await producer.send(Message(body: Array("m-\(i)".utf8)), to: read.name)
                try await producer.send(Message(body: Array("o-\(i)".utf8)), to: other.name)
            }
            await producer.shutdown()
            let directory = ClusterTestSupport.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let (reset, resetText) = try await Self.admin(
                cluster,
                in: directory,
                "reset",
                ["reset-offsets", "--group", "g_lag", "--topic", read.name, "--to-earliest"]
            )
            #expect(reset == 0, "\(resetText)")
            let (own, ownText) = try await Self.admin(
                cluster,
                in: directory,
                "own",
                ["offsets", "--group", "g_lag", "--topic", read.name]
            )
            #expect(own == 0, "\(ownText)")
            #expect(ownText.contains(read.name), "\(ownText)")
            let (never, neverText) = try await Self.admin(
                cluster,
                in: directory,
                "never",
                ["offsets", "--group", "g_lag", "--topic", other.name]
            )
            #expect(never == 1, "\(neverText)")
            #expect(neverText.contains("unknown group g_lag"), "\(neverText)")
            let (lag, lagText) = try await Self.admin(cluster, in: directory, "lag", ["lag", "--topic", other.name])
            #expect(lag == 0, "\(lagText)")
            #expect(!lagText.contains("g_lag"), "\(lagText)")
            #expect(lagText.contains("no group has offsets or a consumer of topic \(other.name)"), "\(lagText)")
        }
    }

    /// Runs `tubemq admin` against `cluster`'s master webapi; its exit status (`nil` when it did not
    /// end within 30 s) and output.
    static func admin(
        _ cluster: LocalCluster,
        in directory: String,
        _ name: String,
        _ arguments: [String]
    ) async throws -> (Int32?, String) {
        let output = directory + "/\(name).out"
        let command = try ChildProcess.spawn(
            [ConsumeInterruptTests.binary, "admin", "--web", "http://127.0.0.1:\(cluster.masterWeb.port)"] + arguments,
            output: output
        )
        let status = await command.exit(within: .seconds(30))
        if status == nil { command.signal(SIGKILL) }
        return (status, ConsumeInterruptTests.text(output))
    }
}
