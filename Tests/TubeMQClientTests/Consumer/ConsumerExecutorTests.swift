import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// Loops over a consumer from a task that prefers its executor (the event loop of its connections).
@Suite struct ConsumerExecutorTests {
    @Test func aPushLoopOnTheConsumersExecutorGetsEveryMessageInPartitionOrder() async throws {
        try await TestCluster.with(topics: [.init(name: "t_cexec", partitions: 3)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_cexec"])
            let consumer = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: "g_cexec", topics: ["t_cexec"]),
                logger: TestCluster.logger
            )
            let loop = Task(executorPreference: consumer.executor) { () throws -> [ConsumedMessage] in
                var received: [ConsumedMessage] = []
                for try await message in consumer {
                    received.append(message)
                    if received.count == 300 { break }
                }
                return received
            }
            // Sent while the loop runs, so that the fetches are long polls woken by the sends.
            for index in 0..<300 { _ = try await producer.send(.text("e\(index)"), to: "t_cexec") }
            let received = try await withTimeout(.seconds(60), "receiving 300 messages") { try await loop.value }
            #expect(Set(received.map(\.text)) == Set((0..<300).map { "e\($0)" }))
            for partition: Int32 in 0..<3 {
                let order = received.filter { $0.partition.id == partition }.map { Int($0.text.dropFirst()) ?? -1 }
                #expect(order == order.sorted(), "ordered within partition \(partition)")
            }
            await consumer.shutdown()
            await producer.shutdown()
        }
    }

    @Test func aPullLoopOnTheConsumersExecutorConfirmsItsBatches() async throws {
        try await TestCluster.with(topics: [.init(name: "t_pexec", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_pexec"])
            for index in 0..<100 { _ = try await producer.send(.text("p\(index)"), to: "t_pexec") }
            await producer.shutdown()
            let configuration = cluster.consumerConfiguration(group: "g_pexec", topics: ["t_pexec"])
            let consumer = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
            let loop = Task(executorPreference: consumer.executor) { () throws -> Int in
                var count = 0
                for try await batch in consumer {
                    count += batch.messages.count
                    try await batch.confirm()
                    if count >= 100 { break }
                }
                return count
            }
            #expect(try await withTimeout(.seconds(60), "receiving 100 messages") { try await loop.value } == 100)
            await consumer.shutdown()
        }
    }
}
