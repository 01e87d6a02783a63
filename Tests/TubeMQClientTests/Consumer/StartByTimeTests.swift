import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// `StartPosition.time`: the brokers look the start offset up by append time (issue 17).
@Suite struct StartByTimeTests {
    /// Sends three bursts a second and a half apart and returns the time taken halfway between the
    /// first and second burst (so every message of the first is older, every one of the others newer).
    static func threeBursts(_ topic: String, in cluster: TestCluster) async throws -> Date {
        let producer = try await Producer(configuration: cluster.producerConfiguration(), logger: TestCluster.logger)
        try await producer.publish([topic])
        for i in 0..<6 { try await producer.send(.text("a\(i)"), to: topic) }
        try await Task.sleep(for: .milliseconds(750))
        let second = Date()
        try await Task.sleep(for: .milliseconds(750))
        for i in 0..<6 { try await producer.send(.text("b\(i)"), to: topic) }
        try await Task.sleep(for: .milliseconds(1500))
        for i in 0..<6 { try await producer.send(.text("c\(i)"), to: topic) }
        await producer.shutdown()
        return second
    }

    static let laterBursts = Set((0..<6).map { "b\($0)" } + (0..<6).map { "c\($0)" })

    @Test func aPushConsumerStartedAtTheSecondBurstGetsTheSecondAndThird() async throws {
        try await TestCluster.with(topics: [.init(name: "t_time_push", partitions: 2)]) { cluster in
            let second = try await Self.threeBursts("t_time_push", in: cluster)
            let consumer = try await PushConsumer(
                configuration: cluster.consumerConfiguration(
                    group: "g_time_push",
                    topics: ["t_time_push"],
                    from: .time(second)
                ),
                logger: TestCluster.logger
            )
            let received = try await receive(12, from: consumer)
            #expect(received.count == 12)
            #expect(Set(received.map(\.text)) == Self.laterBursts)
        }
    }

    @Test func aPullConsumerStartsByTimeEvenPastTheGroupsCommittedOffsets() async throws {
        try await TestCluster.with(topics: [.init(name: "t_time_pull", partitions: 2, stores: 2)]) { cluster in
            let second = try await Self.threeBursts("t_time_pull", in: cluster)
            let group = "g_time_pull"
            // The group first reads everything, so its committed offsets are at the end.
            let reader = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: group, topics: ["t_time_pull"]),
                logger: TestCluster.logger
            )
            #expect(try await receive(18, from: reader).count == 18)
            try await eventually("reader left") { await cluster.master.master.group(named: group) == nil }

            let consumer = try await PullConsumer(
                configuration: cluster.consumerConfiguration(
                    group: group,
                    topics: ["t_time_pull"],
                    from: .time(second)
                ),
                logger: TestCluster.logger
            )
            let texts = try await withTimeout(.seconds(30)) { () -> [String] in
                var texts: [String] = []
                for try await batch in consumer {
                    texts += batch.messages.map(\.text)
                    try await batch.confirm()
                    if texts.count >= 12 { break }
                }
                return texts
            }
            #expect(texts.count == 12)
            #expect(Set(texts) == Self.laterBursts)
            await consumer.shutdown()
        }
    }

    @Test func aTimeAfterEverythingStartsAtTheNewestMessage() async throws {
        try await TestCluster.with(topics: [.init(name: "t_time_late", partitions: 2)]) { cluster in
            _ = try await Self.threeBursts("t_time_late", in: cluster)
            let consumer = try await PushConsumer(
                configuration: cluster.consumerConfiguration(
                    group: "g_time_late",
                    topics: ["t_time_late"],
                    from: .time(Date().addingTimeInterval(3600))
                ),
                logger: TestCluster.logger
            )
            try await eventually("partitions assigned") { await consumer.assignedPartitions().count == 2 }
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_time_late"])
            for i in 0..<4 { try await producer.send(.text("d\(i)"), to: "t_time_late") }
            let received = try await receive(4, from: consumer)
            #expect(Set(received.map(\.text)) == ["d0", "d1", "d2", "d3"])
            await producer.shutdown()
        }
    }
}
