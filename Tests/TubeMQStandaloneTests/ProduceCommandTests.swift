import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQTestKit

/// `tubemq produce` (the built binary) rides out a broker that goes away and comes back: it retries
/// the message in hand instead of stopping at the first failed send, which made a broker restart (or
/// a stall over the 10 s RPC timeout) end a `produce` fed by a pipe. Ctrl-C then ends it with a
/// summary of what was acknowledged, every message of which the topic holds.
@Suite struct ProduceCommandTests {
    @Test(.timeLimit(.minutes(2)))
    func produceRetriesAcrossABrokerRestartAndSumsUpOnCtrlC() async throws {
        let master = try await MasterServer.start(
            configuration: MasterServer.Configuration(host: "127.0.0.1", port: 0),
            logger: TestCluster.logger
        )
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try await unusedPort()
        let ini = directory + "/broker.ini"
        // Acknowledged once on disk, so that kill -9 loses nothing acknowledged and the count holds.
        try await ClusterTestSupport.writeBrokerINI(
            ini,
            id: 1,
            port: port,
            masterPort: master.port,
            data: "\(directory)/broker",
            extra: "acknowledgement=disk"
        )
        let brokerBinary = URL(fileURLWithPath: ConsumeInterruptTests.binary).deletingLastPathComponent()
            .appendingPathComponent("tubemq-broker").path
        var broker = try ChildProcess.spawn([brokerBinary, "--config", ini], output: directory + "/broker.out")
        defer { broker.signal(SIGKILL) }
        let state = master.master
        _ = try await state.addBroker(
            BrokerSpec(id: 1, host: "127.0.0.1", port: port, manageStatus: .online),
            by: "test"
        )
        _ = try await state.addTopicDeployment(topic: "t_produce", brokerID: 1, by: "test")
        try await eventually("the broker serves the topic", timeout: .seconds(20)) {
            await state.publishInfo(topic: "t_produce")?.brokers.count == 1
        }

        let errors = directory + "/produce.err"
        let produce = try ChildProcess.spawn(
            [
                ConsumeInterruptTests.binary, "produce", "--master", "127.0.0.1:\(master.port)",
                "--topic", "t_produce", "--count", "100000000", "--size", "20",
            ],
            output: errors
        )
        defer { produce.signal(SIGKILL) }
        try await Task.sleep(for: .seconds(1))
        #expect(!produce.hasExited(), "produce is sending: \(ConsumeInterruptTests.text(errors))")

        broker.signal(SIGKILL)
        #expect(await broker.exit(within: .seconds(5)) != nil)
        try await Task.sleep(for: .seconds(2))
        #expect(!produce.hasExited(), "produce waits for the broker: \(ConsumeInterruptTests.text(errors))")
        broker = try ChildProcess.spawn([brokerBinary, "--config", ini], output: directory + "/broker.out")
        try await Task.sleep(for: .seconds(4))
        produce.signal(SIGINT)
        let status = await produce.exit(within: .seconds(15))
        let text = ConsumeInterruptTests.text(errors)
        #expect(status == 130, "produce's status; stderr: \(text)")
        #expect(text.contains("retrying for up to 60 s"), "\(text)")
        let summary = try #require(
            text.split(separator: "\n").first { $0.hasPrefix("interrupted: sent ") },
            "no summary in: \(text)"
        )
        let acknowledged = try #require(Int(summary.split(separator: " ")[2]), "\(summary)")

        // Every acknowledged message is in the topic: count them from its first offset.
        let masters = [MasterAddress(host: "127.0.0.1", port: master.port)]
        var configuration = Consumer.Configuration(masters: masters, group: "g_produce", topics: ["t_produce"])
        configuration.startPosition = .first
        let consumer = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
        let counting = Task {
            var count = 0
            for try await _ in consumer {
                count += 1
                if count >= acknowledged { break }
            }
            return count
        }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            counting.cancel()
        }
        let stored = (try? await counting.value) ?? 0
        watchdog.cancel()
        #expect(acknowledged > 0 && stored >= acknowledged, "acknowledged \(acknowledged), read back \(stored)")
        await consumer.shutdown()
        await master.shutdown()
    }
}
