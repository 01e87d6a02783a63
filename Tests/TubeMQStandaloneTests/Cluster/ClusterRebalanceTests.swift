import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQStandalone

/// Three consumers join a group on a 6-partition topic (3 on each of two brokers) one by one, then one
/// leaves. At every settled point each partition has exactly one owner, in the consumers' own view
/// and in the brokers' registrations alike.
@Suite struct ClusterRebalanceTests {
    static let topic = LocalClusterConfiguration.Topic(name: "t_rebalance", partitions: 3)

    @Test func everyPartitionHasExactlyOneOwnerAtEverySettledPoint() async throws {
        try await ClusterTestSupport.withCluster(brokers: 2, topics: [Self.topic]) { cluster, _ in
            var configuration = Consumer.Configuration(
                masters: [MasterAddress(host: cluster.masterAddress.host, port: cluster.masterAddress.port)],
                group: "g_rebalance",
                topics: ["t_rebalance"]
            )
            configuration.heartbeatPeriod = .milliseconds(100)
            var consumers: [PushConsumer] = []
            // Expected share sizes after each step.
            for expected in [[6], [3, 3], [2, 2, 2]] {
                consumers.append(
                    try await PushConsumer(configuration: configuration, logger: ClusterTestSupport.logger)
                )
                try await Self.settle(consumers, cluster: cluster, shares: expected)
            }
            let leaving = consumers.remove(at: 1)
            await leaving.shutdown()
            try await Self.settle(consumers, cluster: cluster, shares: [3, 3])
            for consumer in consumers { await consumer.shutdown() }
        }
    }

    /// Waits until the consumers hold shares of the given sizes, then checks single ownership.
    static func settle(_ consumers: [PushConsumer], cluster: LocalCluster, shares: [Int]) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        var held: [[Partition]] = []
        while ContinuousClock.now < deadline {
            held = []
            for consumer in consumers { held.append(await consumer.assignedPartitions()) }
            let brokerOwners = await Self.brokerOwners(cluster)
            if held.map(\.count).sorted() == shares.sorted(), brokerOwners.count == 6,
                Self.clientOwners(consumers.map(\.clientID), held) == brokerOwners
            {
                let keys = held.flatMap { $0.map(\.key) }
                #expect(Set(keys).count == 6, "a partition is held twice: \(keys)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("did not settle on shares \(shares): held \(held.map { $0.map(\.key) })")
    }

    static func clientOwners(_ ids: [String], _ held: [[Partition]]) -> [String: String] {
        var owners: [String: String] = [:]
        for (id, partitions) in zip(ids, held) {
            for partition in partitions { owners["\(partition.broker.id):\(partition.id)"] = id }
        }
        return owners
    }

    /// Partition → consumer, from the brokers' registrations.
    static func brokerOwners(_ cluster: LocalCluster) async -> [String: String] {
        var owners: [String: String] = [:]
        for broker in cluster.brokers {
            for holding in await broker.holdings() where holding.group == "g_rebalance" {
                owners["\(broker.configuration.brokerID):\(holding.partitionID)"] = holding.consumerID
            }
        }
        return owners
    }
}
