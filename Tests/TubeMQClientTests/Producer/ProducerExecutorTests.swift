import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// Sends from tasks that prefer the producer's executor, and shutdown racing sends in flight.
@Suite struct ProducerExecutorTests {
    @Test func sendsFromTheProducersExecutor() async throws {
        try await TestCluster.with(topics: [.init(name: "t_exec", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_exec"])
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<8 {
                    group.addTask(executorPreference: producer.executor) {
                        for index in 0..<25 { _ = try await producer.send(.text("m\(task)-\(index)"), to: "t_exec") }
                        return 25
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(sent == 200)
            await producer.shutdown()
            #expect(await errorCode { _ = try await producer.send(.text("late"), to: "t_exec") } == .shutdown)
        }
    }

    @Test func shutdownWaitsForSendsInFlightAndRefusesLaterOnes() async throws {
        try await TestCluster.with(topics: [.init(name: "t_drain", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_drain"])
            let outcomes = await withTaskGroup(of: ClientError.Code?.self) { group in
                for index in 0..<100 {
                    group.addTask { await errorCode { _ = try await producer.send(.text("d\(index)"), to: "t_drain") } }
                }
                group.addTask {
                    await producer.shutdown()
                    return nil
                }
                var collected: [ClientError.Code?] = []
                for await outcome in group { collected.append(outcome) }
                return collected
            }
            #expect(outcomes.count == 101)
            #expect(outcomes.allSatisfy { $0 == nil || $0 == .shutdown }, "each send either lands or is refused")
            await producer.shutdown()
        }
    }
}
