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

    /// The confirm timeout runs from hand-out: while one partition's batch is slow, the others' batches
    /// wait in the queue, and are confirmed when they come. They used to be handed out expired: every
    /// confirm failed and their messages came again (13 deliveries each in an outside run).
    @Test func batchesQueuedBehindASlowOneAreNotHandedOutExpired() async throws {
        try await TestCluster.with(topics: [.init(name: "t_pull_slow", partitions: 3)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_pull_slow"])
            for i in 0..<30 { try await producer.send(.text("s\(i)"), to: "t_pull_slow") }

            var configuration = cluster.consumerConfiguration(group: "g_pull_slow", topics: ["t_pull_slow"])
            configuration.confirmTimeout = .milliseconds(800)
            let consumer = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
            try await withTimeout(.seconds(60)) {
                var batches = consumer.makeAsyncIterator()
                let slow = try #require(try await batches.next())
                // Wait until every partition has a batch queued, then past the confirm timeout.
                try await eventually("all three partitions assigned", timeout: .seconds(20)) {
                    await consumer.assignedPartitions().count == 3
                }
                try await Task.sleep(for: .milliseconds(1_500))
                #expect(await errorCode { try await slow.confirm() } == .batchExpired, "the slow batch timed out")
                var confirmed = 0
                var seen = Set<Int64>()
                while confirmed < 30 {
                    let batch = try #require(try await batches.next())
                    try await batch.confirm()  // at once: within the timeout, whatever it waited in the queue
                    for message in batch.messages {
                        #expect(seen.insert(message.messageID).inserted, "delivered twice")
                    }
                    confirmed += batch.messages.count
                }
                #expect(confirmed == 30)
            }
            await consumer.shutdown()
            await producer.shutdown()
        }
    }

    /// A batch fetched before its broker restarted cannot be committed: the broker commits what its new
    /// registration of the partition fetched, which is not this batch. `confirm()` used to succeed
    /// (returning the batch's own start offset) and the batch came again; it now says so.
    @Test(.timeLimit(.minutes(2)))
    func aBatchFromBeforeABrokerRestartIsNotReportedCommitted() async throws {
        let cluster = try await RestartableCluster.start(topics: [.init(name: "t_pull_restart", partitions: 1)])
        do {
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_pull_restart"])
            for i in 0..<5 { try await producer.send(.text("r\(i)"), to: "t_pull_restart") }
            await producer.shutdown()
            var configuration = Consumer.Configuration(
                masters: [cluster.masterAddress],
                group: "g_pull_restart",
                topics: ["t_pull_restart"]
            )
            configuration.startPosition = .first
            configuration.heartbeatPeriod = .milliseconds(500)
            let consumer = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
            try await withTimeout(.seconds(90)) {
                var batches = consumer.makeAsyncIterator()
                let held = try #require(try await batches.next())
                #expect(held.messages.count == 5)

                await cluster.stop()
                try await cluster.restart()
                // The consumer registers the partition again at the restarted broker (its broker heartbeat
                // learns the broker forgot it); confirming then reached the new registration and
                // "succeeded". Under load that may take longer: confirming before it is refused too
                // (not registered), which the fix must not change either.
                try? await eventually("the partition is registered again", timeout: .seconds(10)) {
                    await cluster.local?.brokers.first?.holdings().contains { $0.group == "g_pull_restart" } ?? false
                }
                let outcome = await errorCode { try await held.confirm() }
                #expect(outcome == .batchExpired, "nothing of the batch was committed: confirm must not succeed")
                // The batch comes again, and is committed this time.
                let again = try #require(try await batches.next())
                #expect(again.messages.map(\.messageID) == held.messages.map(\.messageID))
                #expect(try await again.confirm() > again.offset)
            }
            await consumer.shutdown()
        } catch {
            await cluster.remove()
            throw error
        }
        await cluster.remove()
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
