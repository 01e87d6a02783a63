import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// Shutting a client down while its cluster is frozen (here `tubemq standalone` stopped with SIGSTOP)
/// ends after the client's `leaveTimeout`: leaving used to wait an RPC timeout for each unanswered call
/// (29–36 s measured from outside for a consumer), and `tubemq consume` sat that long on SIGTERM.
@Suite struct FrozenClusterLeaveTests {
    @Test func clientsLeaveAFrozenClusterWithinTheirLeaveTimeout() async throws {
        let (directory, standalone) = try await Self.startStandalone()
        defer { Self.remove(standalone, directory) }
        let address = try #require(standalone.addresses["master"])
        let master = try #require(MasterAddress(parsing: address))

        var producerConfiguration = Producer.Configuration(masters: [master], rpcTimeout: .seconds(10))
        producerConfiguration.leaveTimeout = .seconds(2)
        let producer = try await Producer(configuration: producerConfiguration, logger: ClusterTestSupport.logger)
        try await producer.publish(["demo"])
        var consumerConfiguration = Consumer.Configuration(
            masters: [master],
            group: "g_frozen",
            topics: ["demo"],
            startPosition: .first,
            rpcTimeout: .seconds(10)
        )
        consumerConfiguration.leaveTimeout = .seconds(2)
        let consumer = try await PushConsumer(configuration: consumerConfiguration, logger: ClusterTestSupport.logger)
        _ = try await producer.send(Message(body: Array("before the freeze".utf8)), to: "demo")
        let received = try await withTimeout(.seconds(30), "the first message") {
            for try await message in consumer { return String(decoding: message.body, as: UTF8.self) as String? }
            return nil
        }
        #expect(received == "before the freeze")

        standalone.process.signal(SIGSTOP)
        let clock = ContinuousClock()
        let started = clock.now
        async let producerLeft: Duration = {
            await producer.shutdown()
            return clock.now - started
        }()
        async let consumerLeft: Duration = {
            await consumer.shutdown()
            return clock.now - started
        }()
        let (producerTook, consumerTook) = await (producerLeft, consumerLeft)
        // The bound is the 2 s leave timeout plus scheduling slack; without it each waited 10 s or more.
        #expect(producerTook < .seconds(7), "the producer took \(producerTook) to leave")
        #expect(consumerTook < .seconds(7), "the consumer took \(consumerTook) to leave")
    }

    /// `tubemq produce` interrupted while a send waits on a frozen cluster ends within its leave
    /// timeout, as interrupted (status 130, the line to go on from): it waited for the send's 10 s
    /// timeout and the leave, then exited 1 with the timeout as its error.
    @Test func produceInterruptedMidSendOnAFrozenClusterEndsAsInterrupted() async throws {
        let (directory, standalone) = try await Self.startStandalone()
        defer { Self.remove(standalone, directory) }
        let lines = directory + "/lines"
        try (1...200_000).map { "line \($0)" }.joined(separator: "\n").write(
            toFile: lines,
            atomically: true,
            encoding: .utf8
        )
        let output = directory + "/produce.out"
        let produce = try ChildProcess.spawn(
            [ConsumeInterruptTests.binary, "produce", "--master", try #require(standalone.addresses["master"])]
                + ["--topic", "demo"],
            output: output,
            input: lines
        )
        defer { produce.signal(SIGKILL) }
        // 200,000 lines take longer than this to send: it is sending when the cluster freezes.
        try await Task.sleep(for: .seconds(3))
        #expect(!produce.hasExited(), "\(ConsumeInterruptTests.text(output))")
        standalone.process.signal(SIGSTOP)
        try await Task.sleep(for: .seconds(1))
        let clock = ContinuousClock()
        let interrupted = clock.now
        produce.signal(SIGINT)
        let status = await produce.exit(within: .seconds(20))
        let took = clock.now - interrupted
        let text = ConsumeInterruptTests.text(output)
        #expect(status == 130, "\(text)")
        #expect(text.contains("interrupted: sent"), "\(text)")
        #expect(took < .seconds(9), "took \(took): \(text)")
    }

    /// A standalone in a fresh folder, to be frozen with SIGSTOP.
    static func startStandalone() async throws -> (String, StandaloneProcess) {
        let directory = ClusterTestSupport.temporaryDirectory()
        let standalone = try await StandaloneProcess.start(
            ["--data", directory + "/data"],
            output: directory + "/standalone.out"
        )
        return (directory, standalone)
    }

    /// Thaws and kills the standalone, and deletes its folder.
    static func remove(_ standalone: StandaloneProcess, _ directory: String) {
        standalone.process.signal(SIGCONT)
        standalone.process.signal(SIGKILL)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
