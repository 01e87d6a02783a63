import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQStandalone
import TubeMQTestKit

/// `tubemq consume` (the built binary) stopped with Ctrl-C (SIGINT) or SIGTERM leaves its group: it
/// exits 0, its partitions are free at the broker, and the group's next member receives new messages at
/// once, none of those the command printed (the batch printed whole was confirmed). Before, the signal
/// killed the command and the next member waited out the master's 30 s heartbeat timeout.
@Suite struct ConsumeInterruptTests {
    static let topic = LocalClusterConfiguration.Topic(name: "t_interrupt", partitions: 3)

    /// `tubemq`, built beside the test binary.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tubemq").path
    }

    /// Sent twice in a row, as GNU `timeout` does (to the command, then to its process group), the
    /// signal is one request: the second must not end the command before it has left its group.
    @Test(arguments: [(SIGINT, 1), (SIGTERM, 1), (SIGTERM, 2)])
    func anInterruptedConsumeLeavesItsGroupAtOnce(signal: Int32, times: Int) async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "swift build builds tubemq beside the tests")
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [Self.topic]) { cluster, _ in
            let group = "g_interrupt_\(signal)_\(times)"
            let (masters, producer) = try await ConsumeInterruptTests.producer(cluster, topic: Self.topic.name)

            let directory = ClusterTestSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let output = directory + "/consume.out"
            let command = try ChildProcess.spawn(
                [
                    Self.binary, "consume", "--master", "127.0.0.1:\(cluster.masterAddress.port)",
                    "--topic", Self.topic.name, "--group", group, "--from", "first",
                ],
                output: output
            )
            try await eventually("the command printed the 10 messages") {
                Self.printedBodies(output).count == 10 || command.hasExited()
            }
            #expect(Set(Self.printedBodies(output)) == Set((0..<10).map { "before-\($0)" }))

            for _ in 0..<times { command.signal(signal) }
            let status = await command.exit(within: .seconds(15))
            if status == nil { command.signal(SIGKILL) }
            #expect(status == 0, "exit status after signal \(signal); output: \(Self.text(output))")
            #expect(await Self.holders(cluster, group: group).isEmpty, "the command unregistered its partitions")

            var configuration = Consumer.Configuration(masters: masters, group: group, topics: [Self.topic.name])
            configuration.startPosition = .first
            let next = try await PushConsumer(configuration: configuration, logger: ClusterTestSupport.logger)
            for i in 0..<30 { try await producer.send(Message(body: Array("after-\(i)".utf8)), to: Self.topic.name) }
            // Well under the master's 30 s consumer timeout, which a member that vanished would cost.
            let received = try await Self.collect(from: next, within: .seconds(10)) { $0.count == 30 }
            #expect(Set(received) == Set((0..<30).map { "after-\($0)" }), "got \(received.sorted())")
            await next.shutdown()
            await producer.shutdown()
        }
    }

    /// The cluster's master addresses and a producer that has sent `before-0` … `before-9` to `topic`.
    static func producer(_ cluster: LocalCluster, topic: String) async throws -> ([MasterAddress], Producer) {
        let masters = [MasterAddress(host: cluster.masterAddress.host, port: cluster.masterAddress.port)]
        let producer = try await Producer(configuration: .init(masters: masters), logger: ClusterTestSupport.logger)
        try await producer.publish([topic])
        for i in 0..<10 { try await producer.send(Message(body: Array("before-\(i)".utf8)), to: topic) }
        return (masters, producer)
    }

    /// The bodies among the lines `tubemq consume` printed (`partition offset [attributes] body`).
    static func printedBodies(_ path: String) -> [String] {
        text(path).split(separator: "\n").compactMap { line in
            guard line.contains("] ") else { return nil }
            return String(line[line.range(of: "] ")!.upperBound...])
        }
    }

    static func text(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Consumers the broker has registered for `group`.
    static func holders(_ cluster: LocalCluster, group: String) async -> [String] {
        var holders: [String] = []
        for broker in cluster.brokers {
            holders += await broker.holdings().filter { $0.group == group }.map(\.consumerID)
        }
        return holders
    }

    /// The bodies `consumer` delivers until `done` holds for them, or those delivered within `timeout`.
    static func collect(
        from consumer: PushConsumer,
        within timeout: Duration,
        until done: @escaping @Sendable ([String]) -> Bool
    ) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String].self) { group in
            group.addTask {
                var bodies: [String] = []
                for try await message in consumer {
                    bodies.append(String(decoding: message.body, as: UTF8.self))
                    if done(bodies) { break }
                }
                return bodies
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return []
            }
            let first = try await group.next() ?? []
            group.cancelAll()
            let second = try await group.next() ?? []
            return first.count >= second.count ? first : second
        }
    }
}
