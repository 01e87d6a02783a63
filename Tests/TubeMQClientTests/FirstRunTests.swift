import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// What a new user meets in the first minutes: names checked before anything is sent, a producer
/// that waits for a topic still being deployed, a new group's first message well before a heartbeat
/// period.
@Suite struct FirstRunTests {
    @Test func anIllegalGroupNameIsRefusedAtOnceWithTheRule() async throws {
        // No master listens here: the name is refused before anything is sent.
        let configuration = Consumer.Configuration(
            masters: [MasterAddress(host: "127.0.0.1", port: 1)],
            group: "bad group!",
            topics: ["demo"]
        )
        do {
            _ = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            Issue.record("a consumer with an illegal group name started")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect("\(error)".contains("illegal group name \"bad group!\""))
        }
    }

    @Test func anIllegalTopicNameIsRefusedByPublish() async throws {
        try await TestCluster.with(topics: []) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            do {
                try await producer.publish(["bad topic"])
                Issue.record("an illegal topic name was published")
            } catch let error as ClientError {
                #expect(error.code == .invalidArgument)
            }
            await producer.shutdown()
        }
    }

    @Test func aProducerWaitsForATopicDeployedAfterItsFirstSend() async throws {
        try await TestCluster.with(topics: []) { cluster in
            // Java's 13 s heartbeat period: only the send's own heartbeat requests can find the topic.
            var configuration = cluster.producerConfiguration()
            configuration.heartbeatPeriod = .seconds(13)
            let producer = try await Producer(configuration: configuration, logger: TestCluster.logger)
            try await producer.publish(["t_soon"])
            let send = Task { try await producer.send(Message.text("soon"), to: "t_soon") }
            try await Task.sleep(for: .milliseconds(1_200))
            try await cluster.deploy(.init(name: "t_soon", partitions: 1))
            var sent: SendResult?
            for _ in 0..<3 where sent == nil {
                do {
                    sent = try await send.value
                } catch let error as ClientError where error.code == .rejected {
                    // The master announced the partition a moment before the broker loaded it: retry.
                    try await Task.sleep(for: .milliseconds(200))
                    sent = try await producer.send(Message.text("soon"), to: "t_soon")
                }
            }
            #expect(sent?.partition.topic == "t_soon")
            await producer.shutdown()
        }
    }

    @Test func aNewGroupGetsItsFirstMessageWithinABalanceRoundNotAHeartbeatPeriod() async throws {
        try await TestCluster.with(topics: [.init(name: "t_first", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_first"])
            _ = try await producer.send(Message.text("first"), to: "t_first")
            // Java's 13 s heartbeat period; the cluster balances every 100 ms.
            var configuration = cluster.consumerConfiguration(group: "first-group", topics: ["t_first"])
            configuration.heartbeatPeriod = .seconds(13)
            let consumer = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            let started = ContinuousClock.now
            var iterator = consumer.makeAsyncIterator()
            let message = try await iterator.next()
            let waited = ContinuousClock.now - started
            #expect(message.map { String(decoding: $0.body, as: UTF8.self) } == "first")
            // Without the quick heartbeats of a member holding nothing, this took a heartbeat period (13 s).
            #expect(waited < .seconds(8), "waited \(waited)")
            await consumer.shutdown()
            await producer.shutdown()
        }
    }
}
