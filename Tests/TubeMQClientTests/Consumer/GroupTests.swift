import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// Group membership: sharing partitions, leaving, and the broker forgetting a consumer.
@Suite struct GroupTests {
    /// What the consumers of a test received, by consumer.
    actor Collector {
        private(set) var received: [String: [ConsumedMessage]] = [:]
        func add(_ message: ConsumedMessage, by consumer: String) { received[consumer, default: []].append(message) }
        var all: [ConsumedMessage] { received.values.flatMap { $0 } }
        var uniqueCount: Int { Set(all.map(\.messageID)).count }
    }

    @Test func twoConsumersSplitTheGroupsPartitionsAndGetEveryMessageOnce() async throws {
        try await TestCluster.with(topics: [.init(name: "t_group", partitions: 4)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_group"])
            let configuration = cluster.consumerConfiguration(group: "g_group", topics: ["t_group"])
            let a = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            let total = 1200
            let collector = Collector()
            try await withTimeout(.seconds(60)) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for try await message in a { await collector.add(message, by: "a") } }
                    try await eventually("a holds every partition") { await a.assignedPartitions().count == 4 }
                    for i in 0..<total / 3 { try await producer.send(.text("g\(i)"), to: "t_group") }
                    let b = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
                    group.addTask { for try await message in b { await collector.add(message, by: "b") } }
                    for i in total / 3..<total {
                        try await producer.send(.text("g\(i)"), to: "t_group")
                        if i % 100 == 0 { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    try await eventually("b took its share") { await b.assignedPartitions().count == 2 }
                    #expect(await a.assignedPartitions().count == 2)
                    try await eventually("every message arrived") { await collector.uniqueCount == total }
                    try await Task.sleep(for: .milliseconds(300))  // room for duplicates to show up
                    group.cancelAll()
                }
            }
            let all = await collector.all
            #expect(all.count == total, "exactly once: \(all.count - Set(all.map(\.messageID)).count) duplicates")
            #expect(Set(all.map(\.text)) == Set((0..<total).map { "g\($0)" }))
            let received = await collector.received
            #expect((received["a"]?.count ?? 0) > 0 && (received["b"]?.count ?? 0) > 0)
            let partitionsOfB = Set(received["b"]?.map(\.partition.id) ?? [])
            #expect(partitionsOfB.count == 2)
            try await eventually("both left the group") { await cluster.master.master.group(named: "g_group") == nil }
            await producer.shutdown()
        }
    }

    @Test func cancellingTheLoopLeavesTheGroupAndFreesThePartitions() async throws {
        try await TestCluster.with(topics: [.init(name: "t_cancel", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_cancel"])
            for i in 0..<4 { try await producer.send(.text("c\(i)"), to: "t_cancel") }
            let consumer = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: "g_cancel", topics: ["t_cancel"]),
                logger: TestCluster.logger
            )
            let loop = Task {
                var count = 0
                for try await _ in consumer { count += 1 }
                return count
            }
            try await eventually("the consumer holds both partitions") {
                await cluster.holdings(group: "g_cancel").count == 2
            }
            loop.cancel()
            _ = try await withTimeout(.seconds(10)) { try await loop.value }
            // The loop returned only after the consumer left: unregistered at the broker, closed at the master.
            #expect(await cluster.holdings(group: "g_cancel").isEmpty)
            #expect(await cluster.master.master.group(named: "g_cancel") == nil)
            // Another consumer of the group can take the partition at once (no 410).
            let partition = try #require(cluster.partitions(of: "t_cancel").first)
            let reply = try await Self.register("other", of: "g_cancel", for: partition, in: cluster)
            #expect(reply.success, "\(reply.errCode) \(reply.errMsg)")
            await producer.shutdown()
        }
    }

    @Test func aConsumerTheBrokerForgotRegistersAgainAndKeepsReading() async throws {
        try await TestCluster.with(topics: [.init(name: "t_forgot", partitions: 1)], brokerConsumerTimeoutMillis: 300) {
            cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_forgot"])
            var configuration = cluster.consumerConfiguration(group: "g_forgot", topics: ["t_forgot"])
            configuration.maximumFetchBackoff = .seconds(1)  // idle longer than the broker's 300 ms consumer timeout
            configuration.fetchWait = .zero  // no long poll: it would ask again every 200 ms
            configuration.heartbeatPeriod = .seconds(2)
            let consumer = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            try await eventually("registered") { await cluster.holdings(group: "g_forgot").count == 1 }
            try await eventually("the broker forgot the consumer", timeout: .seconds(5)) {
                await cluster.holdings(group: "g_forgot").isEmpty
            }
            try await producer.send(.text("after"), to: "t_forgot")
            let received = try await receive(1, from: consumer, within: .seconds(10))
            #expect(received.map(\.text) == ["after"])
            await producer.shutdown()
        }
    }

    /// A consumer the master assigns a partition that its broker still gives to a previous holder holds
    /// it at once and registers it in the background; when that holder goes silent (crashes), the
    /// consumer takes the partition as soon as the broker times the holder out, without another round
    /// at the master.
    @Test func aPartitionStillHeldByAnotherConsumerIsTakenWhenTheBrokerLetsGo() async throws {
        try await TestCluster.with(
            topics: [.init(name: "t_occupied", partitions: 1)],
            brokerConsumerTimeoutMillis: 2_000
        ) {
            cluster in
            // The previous holder: registered at the broker (the master never knew it), alive until stopped.
            let partition = try #require(cluster.partitions(of: "t_occupied").first)
            let reply = try await Self.register("previous-holder", of: "g_occupied", for: partition, in: cluster)
            #expect(reply.success, "\(reply.errCode) \(reply.errMsg)")
            let alive = Task {
                var heartbeat = HeartBeatRequestC2B()
                heartbeat.clientID = "previous-holder"
                heartbeat.groupName = "g_occupied"
                heartbeat.readStatus = 0
                heartbeat.partitionInfo = [MetadataStrings.partitionInfo(partition)]
                while !Task.isCancelled {
                    let _: HeartBeatResponseB2C? = try? await cluster.rpc.call(
                        .consumerHeartbeatToBroker,
                        heartbeat,
                        host: partition.broker.host,
                        port: partition.broker.port
                    )
                    try? await Task.sleep(for: .milliseconds(300))
                }
            }
            defer { alive.cancel() }
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_occupied"])
            try await producer.send(.text("waiting"), to: "t_occupied")

            var configuration = cluster.consumerConfiguration(group: "g_occupied", topics: ["t_occupied"])
            configuration.heartbeatPeriod = .seconds(13)  // the default cadence: no quick second round
            let consumer = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            try await eventually("the consumer holds the partition while the broker still gives it to the other") {
                let holders = await cluster.holdings(group: "g_occupied")
                return await consumer.assignedPartitions().count == 1 && holders.values.contains("previous-holder")
            }
            alive.cancel()  // the previous holder crashes; the broker forgets it 2 s later
            let received = try await receive(1, from: consumer, within: .seconds(15))
            #expect(received.map(\.text) == ["waiting"])
            await consumer.shutdown()
            await producer.shutdown()
        }
    }

    /// Registers `clientID` of `group` for `partition` at its broker (method 15, op 31), as a consumer does.
    static func register(
        _ clientID: String,
        of group: String,
        for partition: Partition,
        in cluster: TestCluster
    ) async throws -> RegisterResponseB2C {
        var request = RegisterRequestC2B()
        request.opType = 31
        request.clientID = clientID
        request.groupName = group
        request.topicName = partition.topic
        request.partitionID = partition.id
        request.readStatus = 0
        return try await cluster.rpc.call(
            .consumerRegisterToBroker,
            request,
            host: partition.broker.host,
            port: partition.broker.port
        )
    }
}
