import Foundation
import Synchronization
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQMasterState
import TubeMQTestKit

/// Partitions added to a topic by an admin call while producers send and a group consumes.
@Suite struct PartitionExpansionTests {
    /// What the producer saw (the acknowledged sends by partition, and the refused ones) and what the
    /// group received.
    final class Sends: Sendable {
        private struct State {
            var acknowledged: [Int32: [Int64]] = [:]
            var refused: [String] = []
            var received: Set<Int64> = []
        }
        private let state = Mutex(State())

        func acknowledged(_ result: SendResult) {
            state.withLock { $0.acknowledged[result.partition.id, default: []].append(result.messageID) }
        }
        func refused(_ error: ClientError) { state.withLock { $0.refused.append("\(error)") } }
        var partitions: Set<Int32> { state.withLock { Set($0.acknowledged.keys) } }
        var messageIDs: Set<Int64> { state.withLock { Set($0.acknowledged.values.joined()) } }
        var refusals: [String] { state.withLock { $0.refused } }
        func received(_ message: ConsumedMessage) { _ = state.withLock { $0.received.insert(message.messageID) } }
        var receivedAll: Bool { state.withLock { $0.received.isSuperset(of: $0.acknowledged.values.joined()) } }
    }

    /// Runs `body` with a cluster serving `topic` (2 partitions) whose broker heartbeats every
    /// `brokerHeartbeatMs`, and stops the cluster after.
    static func withCluster(
        topic: String,
        brokerHeartbeatMs: Int64,
        _ body: (TestCluster) async throws -> Void
    ) async throws {
        let cluster = try await TestCluster.start(topics: [.init(name: topic, partitions: 2)]) { configuration, _ in
            configuration.brokerHeartbeatPeriodMs = brokerHeartbeatMs
        }
        do {
            try await body(cluster)
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    /// Before the fix the master told producers of the new partitions at once, while the broker created
    /// them only when its next heartbeat (up to 3 s later here) brought the change: sends in between were
    /// refused with 403 "partitionId … not existed". And the broker closed and reopened the topic to
    /// take the change, refusing sends to the old partitions with 403 "topic … is not open" meanwhile.
    @Test func partitionsAddedUnderLoadTakeSendsWithoutARefusalAndTheGroupReadsThem() async throws {
        try await Self.withCluster(topic: "t_grow", brokerHeartbeatMs: 3000) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_grow"])
            let consumer = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: "g_grow", topics: ["t_grow"]),
                logger: TestCluster.logger
            )
            let sends = Sends()
            try await withTimeout(.seconds(90)) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in consumer { sends.received(message) }
                    }
                    let sending = Task {
                        var index = 0
                        while !Task.isCancelled {
                            do throws(ClientError) {
                                sends.acknowledged(try await producer.send(.text("grow-\(index)"), to: "t_grow"))
                            } catch {
                                sends.refused(error)
                            }
                            index += 1
                            if index % 20 == 0 { try? await Task.sleep(for: .milliseconds(5)) }
                        }
                    }
                    // One send at a time: a loaded machine (a CI run beside builds) took over 15 s for these.
                    try await eventually("sends are acknowledged", timeout: .seconds(30)) {
                        sends.messageIDs.count >= 100
                    }
                    _ = try await cluster.master.master.updateTopicDeployment(
                        topic: "t_grow",
                        brokerID: cluster.brokers[0].configuration.brokerID,
                        settings: TopicSettingsPatch(numPartitions: 4),
                        by: "test"
                    )
                    try await eventually("the broker created the partitions") {
                        cluster.partitions(of: "t_grow").count == 4
                    }
                    let created = ContinuousClock.now
                    try await eventually("producers are told") {
                        await cluster.master.master.publishInfo(topic: "t_grow")?.brokers.first?.numPartitions == 4
                    }
                    // The broker reports holding the change at once rather than a heartbeat period (3 s) later.
                    #expect(ContinuousClock.now - created < .seconds(2))
                    try await eventually("sends reach the new partitions", timeout: .seconds(20)) {
                        sends.partitions.isSuperset(of: [2, 3])
                    }
                    let count = sends.messageIDs.count
                    try await eventually("more sends after the expansion") { sends.messageIDs.count >= count + 200 }
                    sending.cancel()
                    await sending.value
                    try await eventually("the group read every acknowledged message", timeout: .seconds(20)) {
                        sends.receivedAll
                    }
                    #expect(await consumer.assignedPartitions().count == 4)
                    group.cancelAll()
                }
            }
            let refusals = sends.refusals
            #expect(refusals.count == 0, "the first refusals: \(refusals.prefix(3))")
            await consumer.shutdown()
            await producer.shutdown()
        }
    }

    /// A store the broker cannot open (a file stands where its folder goes) is not handed out: the
    /// broker keeps reporting the configuration it serves, sends go to the partitions it has, and the
    /// next heartbeat after the obstacle is gone serves the store.
    @Test func aStoreTheBrokerCannotOpenIsNotHandedOutAndIsRetried() async throws {
        try await Self.withCluster(topic: "t_blocked", brokerHeartbeatMs: 200) { cluster in
            let broker = cluster.brokers[0]
            let obstacle = broker.configuration.dataDirectory.string + "/topics/t_blocked/1"
            #expect(FileManager.default.createFile(atPath: obstacle, contents: Data("not a folder".utf8)))
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_blocked"])
            _ = try await cluster.master.master.updateTopicDeployment(
                topic: "t_blocked",
                brokerID: broker.configuration.brokerID,
                settings: TopicSettingsPatch(numTopicStores: 2),
                by: "test"
            )
            try await Task.sleep(for: .seconds(1.5))  // several heartbeats, each retrying the store
            let master = cluster.master.master
            #expect(await master.publishInfo(topic: "t_blocked")?.brokers.first?.numTopicStores == 1)
            #expect(await master.broker(id: broker.configuration.brokerID)?.isConfigLoaded == false)
            var partitions: Set<Int32> = []
            for index in 0..<40 {
                partitions.insert(try await producer.send(.text("b\(index)"), to: "t_blocked").partition.id)
            }
            #expect(partitions == [0, 1], "no send goes to the store that is not there")

            try FileManager.default.removeItem(atPath: obstacle)
            try await eventually("the store is served and handed out") {
                await master.publishInfo(topic: "t_blocked")?.brokers.first?.numTopicStores == 2
            }
            try await eventually("sends reach it") {
                (try? await producer.send(.text("after"), to: "t_blocked").partition.id) ?? 0 >= 10_000
            }
            await producer.shutdown()
        }
    }
}
