import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQStandalone
import TubeMQTestKit

/// `tubemq consume --max N` run again and again in one group goes on where the last run stopped, as
/// the README's `consume --group g1 --from first --max 10` suggests. Before, a run stopped inside a
/// batch of a partition's whole backlog, which was given back unconfirmed, so every run printed the
/// same first messages and the group's offsets never moved; and a run that stopped inside another
/// partition's batch printed its first lines again in the next run.
@Suite struct ConsumeMaxTests {
    static let topic = LocalClusterConfiguration.Topic(name: "t_max", partitions: 3)

    @Test func repeatedRunsWithMaxMoveTheGroupOn() async throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: ConsumeInterruptTests.binary),
            "swift build builds tubemq beside the tests"
        )
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [Self.topic]) { cluster, _ in
            let masters = [MasterAddress(host: cluster.masterAddress.host, port: cluster.masterAddress.port)]
            let producer = try await Producer(configuration: .init(masters: masters), logger: ClusterTestSupport.logger)
            try await producer.publish([Self.topic.name])
            for i in 0..<100 { try await producer.send(Message(body: Array("m-\(i)".utf8)), to: Self.topic.name) }
            await producer.shutdown()

            let directory = ClusterTestSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            // Runs of 7 over three partitions stop inside other partitions' batches unless every fetch
            // is bounded by what is left of --max together; then each message prints exactly once.
            let seen = try await Self.runs(
                [7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 30],
                masters: ["127.0.0.1:\(cluster.masterAddress.port)"],
                group: "g_max",
                in: directory
            )
            #expect(Set(seen) == Set((0..<100).map { "m-\($0)" }))
        }
    }

    /// The same over two clusters (`--master A --master B`, a bid consumer): the clusters share the
    /// limit, and the last batch is confirmed to its cluster before the run ends. Before, such runs
    /// never confirmed anything and printed the same messages every time.
    @Test func repeatedRunsWithMaxOverTwoClustersPrintEachMessageOnce() async throws {
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [Self.topic]) { first, _ in
            try await ClusterTestSupport.withCluster(brokers: 1, topics: [Self.topic]) { second, _ in
                var sent: [String] = []
                for (name, cluster) in [("a", first), ("b", second)] {
                    let masters = [MasterAddress(host: cluster.masterAddress.host, port: cluster.masterAddress.port)]
                    let producer = try await Producer(
                        configuration: .init(masters: masters),
                        logger: ClusterTestSupport.logger
                    )
                    try await producer.publish([Self.topic.name])
                    for i in 0..<20 {
                        try await producer.send(Message(body: Array("\(name)-\(i)".utf8)), to: Self.topic.name)
                        sent.append("\(name)-\(i)")
                    }
                    await producer.shutdown()
                }
                let directory = ClusterTestSupport.temporaryDirectory()
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: directory) }
                let seen = try await Self.runs(
                    [7, 7, 7, 7, 12],
                    masters: ["127.0.0.1:\(first.masterAddress.port)", "127.0.0.1:\(second.masterAddress.port)"],
                    group: "g_bid_max",
                    in: directory
                )
                #expect(Set(seen) == Set(sent))
            }
        }
    }

    /// Runs `tubemq consume --max N` once per N of `maxes`, in `group`, from the first message; checks
    /// each exits 0 and prints N messages no earlier run printed, and returns every body printed.
    static func runs(
        _ maxes: [Int],
        masters: [String],
        group: String,
        in directory: String
    ) async throws -> [String] {
        var seen: [String] = []
        for (run, max) in maxes.enumerated() {
            let output = directory + "/\(group)-\(run).out"
            let command = try ChildProcess.spawn(
                [ConsumeInterruptTests.binary, "consume"] + masters.flatMap { ["--master", $0] } + [
                    "--topic", topic.name, "--group", group, "--from", "first", "--max", "\(max)",
                ],
                output: output
            )
            let status = await command.exit(within: .seconds(30))
            if status == nil { command.signal(SIGKILL) }
            #expect(status == 0, "run \(run): \(ConsumeInterruptTests.text(output))")
            let printed = ConsumeInterruptTests.printedBodies(output)
            #expect(printed.count == max, "run \(run) printed \(printed)")
            #expect(Set(printed).isDisjoint(with: seen), "run \(run) printed again what an earlier run printed")
            seen += printed
        }
        return seen
    }
}
