import Foundation
import Synchronization
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

@Suite struct PushConsumerTests {
    @Test func deliversEveryMessageWithItsBodyAttributesAndPartition() async throws {
        try await TestCluster.with(topics: [.init(name: "t_push", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_push"])
            var sent: [String: SendResult] = [:]
            for i in 0..<20 {
                sent["m\(i)"] = try await producer.send(
                    .text("m\(i)", type: "kind\(i % 2)", [("idx", "\(i)")]),
                    to: "t_push"
                )
            }
            await producer.shutdown()

            let consumer = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: "g_push", topics: ["t_push"]),
                logger: TestCluster.logger
            )
            let received = try await receive(20, from: consumer)
            #expect(Set(received.map(\.text)) == Set(sent.keys))
            for message in received {
                let result = try #require(sent[message.text])
                #expect(message.messageID == result.messageID)
                #expect(message.partition == result.partition)
                #expect(message.topic == "t_push")
                let index = Int(message.text.dropFirst()) ?? -1
                #expect(message.attributes.map(\.key) == ["$msgType$", "idx"])
                #expect(message.messageType == "kind\(index % 2)")
                #expect(message.attributes.last?.value == "\(index)")
            }
            for partition in [Int32(0), 1] {
                let order = received.filter { $0.partition.id == partition }.map { Int($0.text.dropFirst()) ?? -1 }
                #expect(order == order.sorted(), "ordered within partition \(partition)")
            }
            // The loop ended: the consumer left, and the broker freed its partitions.
            try await eventually("partitions freed") { await cluster.holdings(group: "g_push").isEmpty }
        }
    }

    /// With a message limit, a `for try await` loop ends once it worked through that many (it used
    /// to wait for ever after the last one), and the next consumer of the group starts right after.
    /// Once `shutdown()` returns, a loop hands out nothing more of the batch in hand: the shutdown gave
    /// that batch back, and each message handed out after it came again to the group's next consumer
    /// (466 of them in an outside run).
    @Test func afterShutdownALoopHandsOutNothingMore() async throws {
        try await TestCluster.with(topics: [.init(name: "t_stop", partitions: 1)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_stop"])
            for i in 0..<400 { try await producer.send(.text("m\(i)"), to: "t_stop") }
            await producer.shutdown()
            let consumer = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: "g_stop", topics: ["t_stop"]),
                logger: TestCluster.logger
            )
            let afterShutdown = Mutex(0)
            let shutDown = Mutex(false)
            let started = Mutex(0)
            let loop = Task {
                for try await _ in consumer {
                    if shutDown.withLock({ $0 }) { afterShutdown.withLock { $0 += 1 } }
                    started.withLock { $0 += 1 }
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
            try await eventually("the loop is in its first batch", timeout: .seconds(20)) {
                started.withLock { $0 } >= 50
            }
            await consumer.shutdown()
            shutDown.withLock { $0 = true }
            _ = try await withTimeout(.seconds(20)) { try await loop.value }
            #expect(afterShutdown.withLock { $0 } == 0, "messages handed out after shutdown() returned")
            #expect(started.withLock { $0 } < 400, "the loop stopped part way through the batch")
        }
    }

    @Test func aLoopWithAMessageLimitEndsAfterIt() async throws {
        try await TestCluster.with(topics: [.init(name: "t_limit", partitions: 1)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_limit"])
            for i in 0..<20 { try await producer.send(.text("l\(i)"), to: "t_limit") }
            await producer.shutdown()
            var configuration = cluster.consumerConfiguration(group: "g_limit", topics: ["t_limit"])
            configuration.messageLimit = 7
            for round in 0..<2 {
                let consumer = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
                let texts = try await withTimeout(.seconds(30)) { () -> [String] in
                    var texts: [String] = []
                    for try await message in consumer { texts.append(message.text) }
                    return texts
                }
                #expect(texts == (7 * round..<7 * round + 7).map { "l\($0)" })
            }
        }
    }

    /// An iterator that goes away closes the consumer; a loop begun after that throws `shutdown`
    /// instead of ending at once with nothing, which looked the same as "no messages".
    @Test func aLoopOverAClosedConsumerSaysSo() async throws {
        try await TestCluster.with(topics: [.init(name: "t_closed", partitions: 1)]) { cluster in
            let consumer = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: "g_closed", topics: ["t_closed"]),
                logger: TestCluster.logger
            )
            do { _ = consumer.makeAsyncIterator() }
            do {
                for try await _ in consumer { Issue.record("a message from a closed consumer") }
                Issue.record("the loop ended without an error")
            } catch let error as ClientError {
                #expect(error.code == .shutdown)
                #expect(error.message.contains("make a new consumer"))
            }
        }
    }

    @Test func batchesAreConfirmedWhenTheLoopAsksForTheNext() async throws {
        try await TestCluster.with(topics: [.init(name: "t_batches", partitions: 1)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_batches"])
            for i in 0..<5 { try await producer.send(.text("b\(i)"), to: "t_batches") }

            let configuration = cluster.consumerConfiguration(group: "g_batches", topics: ["t_batches"])
            let first = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            let batch = try await withTimeout(.seconds(20)) { () -> [String] in
                var iterator = first.batches.makeAsyncIterator()
                return try await iterator.next()?.map(\.text) ?? []
            }
            #expect(batch == ["b0", "b1", "b2", "b3", "b4"])
            // The loop ended without asking past the batch: it is not confirmed and comes again.
            try await eventually("partition freed") { await cluster.holdings(group: "g_batches").isEmpty }
            let second = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            for i in 5..<7 { try await producer.send(.text("b\(i)"), to: "t_batches") }
            let again = try await withTimeout(.seconds(20)) { () -> [String] in
                var texts: [String] = []
                for try await batch in second.batches {
                    texts += batch.map(\.text)
                    if texts.count >= 7 { break }
                }
                return texts
            }
            #expect(again == (0..<7).map { "b\($0)" })
            await producer.shutdown()
        }
    }

    @Test func finishBatchConfirmsABatchHandedOutWholeAndGivesBackAPartOne() async throws {
        try await TestCluster.with(topics: [.init(name: "t_finish", partitions: 1)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_finish"])
            for i in 0..<3 { try await producer.send(.text("f\(i)"), to: "t_finish") }
            let configuration = cluster.consumerConfiguration(group: "g_finish", topics: ["t_finish"])

            // Two of three taken, then finished: the whole batch comes again.
            let partial = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            let taken = try await withTimeout(.seconds(20)) { () -> [String] in
                var messages = partial.makeAsyncIterator()
                var texts: [String] = []
                while let message = try await messages.next() {
                    texts.append(message.text)
                    if texts.count == 2 {
                        messages.finishBatch()
                        break
                    }
                }
                return texts
            }
            #expect(taken == ["f0", "f1"])
            await partial.shutdown()

            // All three taken, then finished: confirmed; the next consumer starts after them.
            let whole = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            let all = try await withTimeout(.seconds(20)) { () -> [String] in
                var messages = whole.makeAsyncIterator()
                var texts: [String] = []
                while let message = try await messages.next() {
                    texts.append(message.text)
                    if texts.count == 3 {
                        messages.finishBatch()
                        break
                    }
                }
                return texts
            }
            #expect(all == ["f0", "f1", "f2"])
            await whole.shutdown()

            try await producer.send(.text("f3"), to: "t_finish")
            let next = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            let after = try await withTimeout(.seconds(20)) { () -> String? in
                var messages = next.makeAsyncIterator()
                return try await messages.next()?.text
            }
            #expect(after == "f3")
            await next.shutdown()
            await producer.shutdown()
        }
    }
}
