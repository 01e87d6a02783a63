import Foundation
import Synchronization
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQStandalone
import TubeMQTestKit

/// A consumer connected across a restart of the whole standalone cluster (master and broker in one
/// process, 2 s down) comes back with the partitions it held, which the restarted broker no longer
/// knows, and gets what is sent after the restart within seconds.
@Suite struct ClusterRestartTests {
    final class Received: Sendable {
        private let bodies = Mutex<Set<String>>([])
        func insert(_ body: String) { bodies.withLock { _ = $0.insert(body) } }
        func contains(_ body: String) -> Bool { bodies.withLock { $0.contains(body) } }
    }

    @Test(.timeLimit(.minutes(2)))
    func aConsumerResumesPromptlyAfterAStandaloneRestart() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ClusterTestSupport.configuration(
            brokers: 1,
            topics: [LocalClusterConfiguration.Topic(name: "t_restart", partitions: 2)],
            directory: directory
        )
        configuration.firstBalanceDelayMs = 1_000
        configuration.balancePeriodMs = 1_000
        var cluster = try await LocalCluster.start(configuration: configuration, logger: ClusterTestSupport.logger)
        // The restarted cluster takes the same ports, as `tubemq standalone` does.
        configuration.masterPort = cluster.masterAddress.port
        configuration.brokerPorts = cluster.brokers.map(\.port)
        let masters = [MasterAddress(host: cluster.masterAddress.host, port: cluster.masterAddress.port)]
        var consumerConfiguration = Consumer.Configuration(
            masters: masters,
            group: "g_restart",
            topics: ["t_restart"],
            startPosition: .first
        )
        consumerConfiguration.heartbeatPeriod = .seconds(1)
        let consumer = try await PushConsumer(configuration: consumerConfiguration, logger: ClusterTestSupport.logger)
        let received = Received()
        let reader = Task {
            do {
                for try await message in consumer { received.insert(String(decoding: message.body, as: UTF8.self)) }
            } catch {}
        }
        do {
            try await send("before", masters: masters)
            try await waitFor("the message sent before the restart") { received.contains("before") }
            #expect(await consumer.assignedPartitions().count == 2)

            await cluster.shutdown()
            try await Task.sleep(for: .seconds(2))
            cluster = try await LocalCluster.start(configuration: configuration, logger: ClusterTestSupport.logger)
            let restarted = ContinuousClock.now
            try await send("after", masters: masters)
            let resumed = try await waitFor("the message sent after the restart", timeout: .seconds(30)) {
                received.contains("after")
            }
            print("standalone restart: the consumer got a message sent after the restart \(resumed) after it")
            #expect(ContinuousClock.now - restarted < .seconds(20))
        } catch {
            reader.cancel()
            await consumer.shutdown()
            await cluster.shutdown()
            throw error
        }
        reader.cancel()
        await consumer.shutdown()
        await cluster.shutdown()
    }

    private func send(_ body: String, masters: [MasterAddress]) async throws {
        let producer = try await Producer(configuration: .init(masters: masters), logger: ClusterTestSupport.logger)
        try await producer.publish(["t_restart"])
        // One message per partition, so the one the consumer must have regained is covered.
        for _ in 0..<2 { try await producer.send(Message(body: Array(body.utf8)), to: "t_restart") }
        await producer.shutdown()
    }

    @discardableResult
    private func waitFor(
        _ what: String,
        timeout: Duration = .seconds(30),
        _ condition: () async -> Bool
    ) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if await condition() { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestTimeout(description: "timed out waiting for \(what)")
    }
}
