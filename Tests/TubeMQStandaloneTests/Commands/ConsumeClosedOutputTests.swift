import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQStandalone
import TubeMQTestKit

/// `tubemq consume` whose reader goes away (`consume | head`, a processor that crashed) stops with
/// status 1 and does not confirm what it could not write. It used to ignore the failed writes, go on
/// confirming every batch, and never exit: 124,526 messages were marked consumed unread.
@Suite struct ConsumeClosedOutputTests {
    static let topic = LocalClusterConfiguration.Topic(name: "t_closed_output", partitions: 1)

    @Test func consumeStopsWithoutConfirmingWhatItCouldNotWrite() async throws {
        try await ClusterTestSupport.withCluster(brokers: 1, topics: [Self.topic]) { cluster, _ in
            let group = "g_closed_output"
            let (masters, producer) = try await ConsumeInterruptTests.producer(cluster, topic: Self.topic.name)

            let directory = ClusterTestSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let output = directory + "/head.out"
            let errors = directory + "/consume.err"
            let consume = [
                ConsumeInterruptTests.binary, "consume", "--master", "127.0.0.1:\(cluster.masterAddress.port)",
                "--topic", Self.topic.name, "--group", group, "--from", "first",
            ].joined(separator: " ")
            // pipefail: the pipeline's status is consume's when head exits 0.
            let pipeline = try ChildProcess.spawn(
                ["/bin/bash", "-c", "set -o pipefail; \(consume) 2>\(errors) | head -n 3"],
                output: output
            )
            defer { if pipeline.exitStatus() == nil { pipeline.signal(SIGKILL) } }
            try await eventually("head printed 3 lines and left") {
                ConsumeInterruptTests.printedBodies(output).count == 3
            }
            // What consume wrote into the pipe before head left is gone with it; what comes now cannot
            // be written, and must not be confirmed.
            try await Task.sleep(for: .milliseconds(300))
            for i in 0..<10 { try await producer.send(Message(body: Array("after-\(i)".utf8)), to: Self.topic.name) }
            let status = await pipeline.exit(within: .seconds(20))
            #expect(status == 1, "consume's status; stderr: \(ConsumeInterruptTests.text(errors))")
            #expect(ConsumeInterruptTests.text(errors).contains("standard output closed after"))

            var configuration = Consumer.Configuration(masters: masters, group: group, topics: [Self.topic.name])
            configuration.startPosition = .first
            let next = try await PushConsumer(configuration: configuration, logger: ClusterTestSupport.logger)
            // What consume wrote before head left may come again (a batch counts as read only once
            // written whole); what it could not write must.
            let unwritten = Set((0..<10).map { "after-\($0)" })
            let received = try await ConsumeInterruptTests.collect(from: next, within: .seconds(15)) {
                unwritten.isSubset(of: Set($0))
            }
            #expect(unwritten.isSubset(of: Set(received)), "got \(received.sorted())")
            await next.shutdown()
            await producer.shutdown()
        }
    }
}
