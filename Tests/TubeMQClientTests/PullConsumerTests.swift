import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

@Suite struct PullConsumerTests {
    @Test func releasedAndTimedOutBatchesAreRedeliveredConfirmedOnesAreNot() async throws {
        try await TestCluster.with(topics: [.init(name: "t_pull", partitions: 1)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_pull"])
            for i in 0..<3 { try await producer.send(.text("p\(i)"), to: "t_pull") }

            var configuration = cluster.consumerConfiguration(group: "g_pull", topics: ["t_pull"])
            configuration.confirmTimeout = .milliseconds(300)
            let consumer = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
            try await withTimeout(.seconds(30)) {
                var batches = consumer.makeAsyncIterator()
                let first = try #require(try await batches.next())
                #expect(first.messages.map(\.text) == ["p0", "p1", "p2"])
                first.release()
                let again = try #require(try await batches.next())
                #expect(again.messages.map(\.messageID) == first.messages.map(\.messageID), "released: delivered again")
                // Left alone past the confirm timeout: delivered again, and the old batch can no longer be confirmed.
                let third = try #require(try await batches.next())
                #expect(
                    third.messages.map(\.messageID) == first.messages.map(\.messageID),
                    "timed out: delivered again"
                )
                let expired = await errorCode { try await again.confirm() }
                #expect(expired == .batchExpired)
                let committed = try await third.confirm()
                #expect(committed == third.offset + 3 * 28, "the broker commits past the batch's three index entries")

                try await producer.send(.text("p3"), to: "t_pull")
                let next = try #require(try await batches.next())
                #expect(next.messages.map(\.text) == ["p3"], "confirmed messages do not come back")
                #expect(next.offset == committed)
                try await next.confirm()
            }
            await consumer.shutdown()
            await producer.shutdown()
        }
    }

    @Test func anUnconfirmedBatchGoesToTheGroupsNextConsumer() async throws {
        try await TestCluster.with(topics: [.init(name: "t_pull2", partitions: 1)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_pull2"])
            for i in 0..<4 { try await producer.send(.text("q\(i)"), to: "t_pull2") }
            let configuration = cluster.consumerConfiguration(group: "g_pull2", topics: ["t_pull2"])

            let first = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
            let seen = try await withTimeout(.seconds(20)) { () -> [String] in
                var batches = first.makeAsyncIterator()
                return try #require(try await batches.next()).messages.map(\.text)
            }
            #expect(seen == ["q0", "q1", "q2", "q3"])
            await first.shutdown()  // unregisters with readStatus 1: the batch was never confirmed

            let second = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
            let redelivered = try await withTimeout(.seconds(20)) { () -> [String] in
                for try await batch in second {
                    try await batch.confirm()
                    return batch.messages.map(\.text)
                }
                return []
            }
            #expect(redelivered == seen)
            await producer.shutdown()
        }
    }
}
