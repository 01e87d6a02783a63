import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// Where consumers start: filters, latest, exact offsets.
@Suite struct ConsumerPositionTests {
    @Test func theBrokerKeepsOnlyTheFilteredMessageTypes() async throws {
        try await TestCluster.with(topics: [.init(name: "t_filter", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_filter"])
            for i in 0..<12 {
                let type: String? = [Optional("typeA"), "typeB", nil][i % 3]
                try await producer.send(.text("f\(i)", type: type), to: "t_filter")
            }
            var configuration = cluster.consumerConfiguration(group: "g_filter", topics: [])
            configuration.filter("t_filter", messageTypes: ["typeA"])
            let consumer = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            let received = try await receive(4, from: consumer)
            #expect(Set(received.map(\.text)) == ["f0", "f3", "f6", "f9"])
            #expect(received.allSatisfy { $0.messageType == "typeA" })
            await producer.shutdown()
        }
    }

    @Test func latestSkipsWhatWasSentBeforeTheGroupFirstRead() async throws {
        try await TestCluster.with(topics: [.init(name: "t_latest", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_latest"])
            for i in 0..<6 { try await producer.send(.text("old\(i)"), to: "t_latest") }
            let consumer = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: "g_latest", topics: ["t_latest"], from: .latest),
                logger: TestCluster.logger
            )
            try await eventually("partitions assigned") { await consumer.assignedPartitions().count == 2 }
            for i in 0..<6 { try await producer.send(.text("new\(i)"), to: "t_latest") }
            let received = try await receive(6, from: consumer)
            #expect(Set(received.map(\.text)) == Set((0..<6).map { "new\($0)" }))
            await producer.shutdown()
        }
    }

    @Test func boundConsumeResumesAtTheGivenOffsets() async throws {
        try await TestCluster.with(topics: [.init(name: "t_bound", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_bound"])
            var sent: [SendResult] = []
            for i in 0..<10 { sent.append(try await producer.send(.text("o\(i)"), to: "t_bound")) }
            let partition0 = sent.filter { $0.partition.id == 0 }
            let partition1 = sent.filter { $0.partition.id == 1 }
            #expect(partition0.count == 5 && partition1.count == 5)

            // The group reads everything first, so its committed offsets are at the end.
            let group = "g_bound"
            let reader = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: group, topics: ["t_bound"]),
                logger: TestCluster.logger
            )
            #expect(try await receive(10, from: reader).count == 10)
            try await eventually("reader left") { await cluster.master.master.group(named: group) == nil }

            // A job that stored its own positions resumes exactly there.
            var configuration = cluster.consumerConfiguration(group: group, topics: ["t_bound"])
            configuration.boundConsume = Consumer.BoundConsume(
                sessionKey: "job-1",
                consumerCount: 1,
                offsets: [
                    partition0[2].partition.key: partition0[2].offset,
                    partition1[3].partition.key: partition1[3].offset,
                ]
            )
            let resumed = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            let received = try await receive(5, from: resumed)
            let expected = partition0[2...].map(\.messageID) + partition1[3...].map(\.messageID)
            #expect(Set(received.map(\.messageID)) == Set(expected))
            #expect(received.count == 5)
            await producer.shutdown()
        }
    }
}
