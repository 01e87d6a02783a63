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
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (master, firstBroker, restart) = try await Self.masterAndBroker(in: directory)
        var broker = firstBroker
        defer { broker.signal(SIGKILL) }

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
        broker = try restart()
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

    /// Interrupted while the message in hand waits for its broker to come back, produce names that
    /// line as the first not sent: it named the next one, and a user resuming from there lost one.
    @Test(.timeLimit(.minutes(2)))
    func ctrlCDuringARetryNamesTheLineInHand() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (master, broker, _) = try await Self.masterAndBroker(in: directory)
        defer { broker.signal(SIGKILL) }
        let lines = directory + "/lines"
        try (1...300_000).map { "l-\($0)" }.joined(separator: "\n").write(
            toFile: lines,
            atomically: true,
            encoding: .utf8
        )
        let errors = directory + "/produce.err"
        let produce = try ChildProcess.spawn(
            [ConsumeInterruptTests.binary, "produce", "--master", "127.0.0.1:\(master.port)", "--topic", "t_produce"],
            output: errors,
            input: lines
        )
        defer { produce.signal(SIGKILL) }
        try await Task.sleep(for: .seconds(1))
        broker.signal(SIGKILL)
        try await eventually("produce retries", timeout: .seconds(20)) {
            ConsumeInterruptTests.text(errors).contains("retrying for up to 60 s")
        }
        produce.signal(SIGINT)
        #expect(await produce.exit(within: .seconds(15)) == 130)
        let text = ConsumeInterruptTests.text(errors)
        let summary = try #require(text.split(separator: "\n").first { $0.hasPrefix("interrupted: sent ") }, "\(text)")
        let acknowledged = try #require(Int(summary.split(separator: " ")[2]), "\(summary)")
        #expect(summary.contains("lines from \(acknowledged + 1) on were not sent"), "\(summary)")
        await master.shutdown()
    }

    /// A master in this process and a `tubemq-broker` child (acknowledging once on disk, so that
    /// kill -9 loses nothing acknowledged) serving topic `t_produce`, and a way to start the broker
    /// again on the same port and data.
    static func masterAndBroker(
        in directory: String
    ) async throws -> (MasterServer, ChildProcess, @Sendable () throws -> ChildProcess) {
        let master = try await MasterServer.start(
            configuration: MasterServer.Configuration(host: "127.0.0.1", port: 0),
            logger: TestCluster.logger
        )
        let port = try await unusedPort()
        let ini = directory + "/broker.ini"
        try await ClusterTestSupport.writeBrokerINI(
            ini,
            id: 1,
            port: port,
            masterPort: master.port,
            data: "\(directory)/broker",
            extra: "acknowledgement=disk"
        )
        let binary = URL(fileURLWithPath: ConsumeInterruptTests.binary).deletingLastPathComponent()
            .appendingPathComponent("tubemq-broker").path
        let start: @Sendable () throws -> ChildProcess = {
            try ChildProcess.spawn([binary, "--config", ini], output: directory + "/broker.out")
        }
        let broker = try start()
        let state = master.master
        _ = try await state.addBroker(
            BrokerSpec(id: 1, host: "127.0.0.1", port: port, manageStatus: .online),
            by: "test"
        )
        _ = try await state.addTopicDeployment(topic: "t_produce", brokerID: 1, by: "test")
        try await eventually("the broker serves the topic", timeout: .seconds(20)) {
            await state.publishInfo(topic: "t_produce")?.brokers.count == 1
        }
        return (master, broker, start)
    }
}
