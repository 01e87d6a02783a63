import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// The producer's waits read its configured clock: a send to a topic with no partition fails when the
/// clock passes `partitionWaitTimeout`, and wakes as soon as a deployment reaches the partition map.
@Suite struct ProducerClockTests {
    @Test func aSendWithNoPartitionFailsWhenTheInjectedClockPassesTheWait() async throws {
        try await TestCluster.with(topics: []) { cluster in
            let clock = ManualClock()
            var configuration = cluster.producerConfiguration()
            configuration.clock = clock
            configuration.heartbeatPeriod = .seconds(3600)
            configuration.partitionWaitTimeout = .seconds(5)
            let producer = try await Producer(configuration: configuration, logger: TestCluster.logger)
            try await producer.publish(["t_no_partition"])
            let send = Task { try await producer.send(Message.text("x"), to: "t_no_partition") }
            // The send waits on the manual clock: nothing times out until the test moves it.
            try await Task.sleep(for: .milliseconds(300))
            let ticker = Task {
                for _ in 0..<100 where !Task.isCancelled {
                    clock.advance(by: 1_000)
                    try? await Task.sleep(for: .milliseconds(25))
                }
            }
            defer { ticker.cancel() }
            do {
                _ = try await send.value
                Issue.record("the send succeeded with no partition")
            } catch let error as ClientError {
                #expect(error.code == .noPartition)
            }
            await producer.shutdown()
        }
    }

    @Test func aWaitingSendWakesWhenTheTopicIsDeployed() async throws {
        try await TestCluster.with(topics: []) { cluster in
            let clock = ManualClock()
            var configuration = cluster.producerConfiguration()
            configuration.clock = clock
            configuration.heartbeatPeriod = .milliseconds(100)
            let producer = try await Producer(configuration: configuration, logger: TestCluster.logger)
            try await producer.publish(["t_late"])
            let send = Task { try await producer.send(Message.text("late"), to: "t_late") }
            try await Task.sleep(for: .milliseconds(100))
            try await cluster.deploy(.init(name: "t_late", partitions: 1))
            // The heartbeat loop sleeps on the manual clock too: move it a period at a time (4 s in all,
            // short of the 5 s partition wait) until the send has its partition.
            let ticker = Task {
                for _ in 0..<40 where !Task.isCancelled {
                    clock.advance(by: 100)
                    try? await Task.sleep(for: .milliseconds(25))
                }
            }
            // The send wakes on the partition map's update, long before its 5 s on the clock. The broker
            // may still be loading the topic the master already announced (a 403 then): that too shows
            // the send woke up; only `noPartition` would mean it waited out its deadline.
            do {
                let sent = try await send.value
                #expect(sent.partition.topic == "t_late")
            } catch let error as ClientError {
                #expect(error.code != .noPartition, "\(error)")
            }
            ticker.cancel()
            await producer.shutdown()
        }
    }
}
