import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Client assignment (methods 20–22): consumers that pick their partitions themselves.
@Suite struct ClientAssignmentTests {
    actor Collector {
        private(set) var received: [String: [ConsumedMessage]] = [:]
        func add(_ message: ConsumedMessage, by consumer: String) { received[consumer, default: []].append(message) }
        var all: [ConsumedMessage] { received.values.flatMap { $0 } }
        var uniqueCount: Int { Set(all.map(\.messageID)).count }
    }

    @Test func twoClientAssignedConsumersTakeThreePartitionsEachAndGetEveryMessageOnce() async throws {
        try await TestCluster.with(topics: [.init(name: "t_cbal", partitions: 6)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_cbal"])
            let keys = cluster.partitions(of: "t_cbal").map(\.key).sorted()
            #expect(keys.count == 6)
            var first = cluster.consumerConfiguration(group: "g_cbal", topics: ["t_cbal"])
            first.assignment = .client(.share(node: 0, nodes: 2))
            var second = cluster.consumerConfiguration(group: "g_cbal", topics: ["t_cbal"])
            second.assignment = .client(.keys([keys[1], keys[3], keys[5]]))
            let a = try await PushConsumer(configuration: first, logger: TestCluster.logger)
            let b = try await PushConsumer(configuration: second, logger: TestCluster.logger)
            let total = 600
            let collector = Collector()
            try await withTimeout(.seconds(90)) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for try await message in a { await collector.add(message, by: "a") } }
                    group.addTask { for try await message in b { await collector.add(message, by: "b") } }
                    try await eventually("each consumer holds its three partitions") {
                        let (heldByA, heldByB) = (await a.assignedPartitions(), await b.assignedPartitions())
                        return heldByA.count == 3 && heldByB.count == 3
                    }
                    let groups = await cluster.master.master.clientBalanceGroups()
                    #expect(groups.map(\.name) == ["g_cbal"])
                    #expect(groups.first?.members.count == 2)
                    try await eventually("both members reported their partitions") {
                        await cluster.master.master.clientBalanceGroups().first?.members.values
                            .allSatisfy { $0.reported.count == 3 } == true
                    }
                    let detail = try await Self.webQuery(
                        cluster,
                        "method=admin_query_consume_group_detail&groupName=g_cbal"
                    )
                    #expect(detail["isBandConsume"] as? String == "CONSUME_CLIENT_REB")
                    #expect((detail["metaDetails"] as? [String])?.count == 1)
                    let members = detail["data"] as? [[String: Any]] ?? []
                    #expect(members.compactMap { $0["parCount"] as? Int }.sorted() == [3, 3])
                    let listed = try await Self.webQuery(cluster, "method=admin_query_client_balance_group_set")
                    #expect(listed["data"] as? [String] == ["g_cbal"])
                    for i in 0..<total { try await producer.send(.text("cb\(i)"), to: "t_cbal") }
                    try await eventually("every message arrived") { await collector.uniqueCount == total }
                    try await Task.sleep(for: .milliseconds(300))  // room for duplicates to show up
                    group.cancelAll()
                }
            }
            let all = await collector.all
            #expect(all.count == total, "exactly once: \(all.count - Set(all.map(\.messageID)).count) duplicates")
            let received = await collector.received
            #expect(Set(received["a"]?.map(\.partitionKey) ?? []) == [keys[0], keys[2], keys[4]])
            #expect(Set(received["b"]?.map(\.partitionKey) ?? []) == [keys[1], keys[3], keys[5]])
            try await eventually("both left the group") { await cluster.master.master.clientBalanceGroups().isEmpty }
            await producer.shutdown()
        }
    }

    /// A master webapi query, parsed.
    static func webQuery(_ cluster: TestCluster, _ query: String) async throws -> [String: Any] {
        let url = try #require(
            URL(string: "http://127.0.0.1:\(cluster.local.masterWeb.port)/webapi.htm?type=op_query&\(query)")
        )
        let (data, _) = try await URLSession.shared.data(from: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func consumeFromMaxSkipsWhatTheGroupHasNotReadYet() async throws {
        try await TestCluster.with(topics: [.init(name: "t_cmax", partitions: 2)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_cmax"])
            for i in 0..<20 { try await producer.send(.text("old\(i)"), to: "t_cmax") }
            var configuration = cluster.consumerConfiguration(group: "g_cmax", topics: ["t_cmax"])
            configuration.assignment = .client(.share(node: 0, nodes: 1))
            let consumer = try await PullConsumer(configuration: configuration, logger: TestCluster.logger)
            try await eventually("the consumer holds both partitions") {
                await consumer.assignedPartitions().count == 2
            }
            try await cluster.master.master.setClientBalanceConsumeFromMax(group: "g_cmax")
            try await eventually("the consumer applied the task") {
                await cluster.master.master.clientBalanceGroups().first?.members.values.first?.consumeFromMaxID
                    == cluster.master.master.clientBalanceGroups().first?.consumeFromMaxID
            }
            try await eventually("both partitions are held again") { await consumer.assignedPartitions().count == 2 }
            for i in 0..<4 { try await producer.send(.text("new\(i)"), to: "t_cmax") }
            let texts = try await withTimeout(.seconds(60)) { () async throws -> [String] in
                var texts: [String] = []
                var batches = consumer.makeAsyncIterator()
                while texts.count < 4, let batch = try await batches.next() {
                    texts += batch.messages.map(\.text)
                    _ = try await batch.confirm()
                }
                return texts
            }
            #expect(texts.sorted() == ["new0", "new1", "new2", "new3"])
            await consumer.shutdown()
            await producer.shutdown()
        }
    }

    @Test func aServerBalancedConsumerCannotJoinAClientAssignedGroup() async throws {
        try await TestCluster.with(topics: [.init(name: "t_cmix", partitions: 2)]) { cluster in
            var client = cluster.consumerConfiguration(group: "g_cmix", topics: ["t_cmix"])
            client.assignment = .client(.share(node: 0, nodes: 1))
            let a = try await PullConsumer(configuration: client, logger: TestCluster.logger)
            try await eventually("the client-assigned consumer holds both partitions") {
                await a.assignedPartitions().count == 2
            }
            do {
                let b = try await PullConsumer(
                    configuration: cluster.consumerConfiguration(group: "g_cmix", topics: ["t_cmix"]),
                    logger: TestCluster.logger
                )
                await b.shutdown()
                Issue.record("a server-balanced consumer joined a client-assigned group")
            } catch {
                #expect("\(error)".contains("424"))
            }
            await a.shutdown()
        }
    }
}
