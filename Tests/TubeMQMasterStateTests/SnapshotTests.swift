import Foundation
import Testing
import TubeMQCore
import TubeMQMasterState

@Suite struct SnapshotTests {
    @Test func snapshotRoundTripsThroughJSONAndRestoresTheDurableState() throws {
        var cluster = try TestCluster(topics: ["tp", "up"], partitions: 3, stores: 2)
        _ = try cluster.state.addBroker(
            BrokerSpec(
                id: 2,
                host: "10.0.0.2",
                manageStatus: .readOnly,
                settings: TopicSettingsPatch(numPartitions: 5)
            ),
            by: "ops",
            now: 10
        )
        _ = try cluster.state.addTopicDeployment(
            topic: "up",
            brokerID: 2,
            settings: TopicSettingsPatch(deletePolicy: "delete,12H"),
            by: "ops",
            now: 11
        )
        _ = try cluster.state.setTopicControl(
            topic: "up",
            maxMsgSizeInMB: 8,
            enableAuthControl: true,
            by: "ops",
            now: 12
        )
        _ = try cluster.state.stopAndDeleteTopicDeployment(topic: "tp", brokerID: 1, by: "ops", now: 13)
        _ = cluster.state.setGroupConsume(group: "gp", topic: "up", enabled: false, reason: "audit", by: "ops", now: 14)
        _ = cluster.state.setGroupConsumeFilter(group: "gp", topic: "tp", allowed: ["a_type"], by: "ops", now: 14)
        _ = try cluster.state.updateClusterSettings(ClusterSettingsPatch(maxMsgSizeInMB: 2), by: "ops", now: 15)
        try cluster.register("c", group: "g2", topics: ["up"], now: 16)
        _ = cluster.registerProducerForTest()
        _ = cluster.state.balance(now: 20_000)

        let snapshot = cluster.state.snapshot()
        #expect(snapshot.brokers.map(\.id) == [1, 2])
        #expect(snapshot.topics.map(\.name) == ["tp", "up"])
        #expect(snapshot.lastRebalanceID == 1)
        let data = try JSONEncoder().encode(snapshot)
        let decoded = try JSONDecoder().decode(MasterSnapshot.self, from: data)
        #expect(decoded == snapshot)

        let restored = MasterState(snapshot: decoded, configuration: .recorded, now: 100_000)
        #expect(restored.snapshot() == snapshot)
        #expect(restored.topic(named: "up")?.maxMsgSizeInMB == 8)
        #expect(restored.topic(named: "up")?.deployment(on: 2)?.settings.deletePolicy == "delete,12h")
        #expect(restored.topic(named: "up")?.deployment(on: 2)?.settings.numPartitions == 5, "inherited from broker 2")
        #expect(restored.topic(named: "tp")?.deployment(on: 1)?.status == .softDeleted)
        #expect(restored.groupSettings(named: "gp")?.consumeDisabled == ["up": "audit"])
        #expect(restored.groupSettings(named: "gp")?.consumeFilters == ["tp": ["a_type"]])
        #expect(restored.clusterSettings.maxMsgSizeInMB == 2)
        #expect(restored.broker(id: 2)?.config.manageStatus == .readOnly)
        #expect(restored.broker(id: 1)?.runState == .unregistered, "run state is not durable")
        #expect(restored.groups.isEmpty && restored.producers.isEmpty, "clients are not durable")
        #expect(restored.servingBrokers.isEmpty)
        #expect(restored.nextBalanceAt == 100_000 + MasterTimings.recorded.firstBalanceDelayMs)

        var resumed = restored
        #expect(resumed.balance(now: 105_000).rebalanceID == 2, "rebalance ids keep increasing")
    }

    /// Group settings stored before consume filters existed still load, with no filters.
    @Test func groupSettingsWithoutFiltersDecode() throws {
        let stored =
            #"{"name":"g_old","consumeDisabled":{"t":"audit"},"stamp":"#
            + #"{"createdBy":"ops","createdAt":1,"modifiedBy":"ops","modifiedAt":1}}"#
        let settings = try JSONDecoder().decode(GroupSettings.self, from: Data(stored.utf8))
        #expect(settings.consumeDisabled == ["t": "audit"] && settings.consumeFilters.isEmpty)
    }

    @Test func directivesDescribeEveryDurableChange() throws {
        var state = MasterState(now: 0)
        let added = try state.addBroker(BrokerSpec(id: 3, host: "10.0.0.3"), by: "ops", now: 1)
        #expect(added.count == 1)
        guard case .persistBroker(let broker) = added.first else {
            Issue.record("expected persistBroker, got \(added)")
            return
        }
        #expect(broker.id == 3 && broker.port == 8123 && broker.manageStatus == .draft)
        let deployed = try state.addTopicDeployment(topic: "tp", brokerID: 3, by: "ops", now: 2)
        #expect(deployed.count == 2, "the topic and the broker whose config version moved")
        let deleted = try state.deleteTopicControlAfterCleanup(topic: "tp", brokerID: 3)
        #expect(deleted.last == .deleteTopic(name: "tp"))
        #expect(try state.deleteBroker(id: 3, by: "ops", now: 9) == [.deleteBroker(id: 3)])
        #expect(state.snapshot().brokers.isEmpty && state.snapshot().topics.isEmpty)
    }
}

extension TestCluster {
    mutating func registerProducerForTest() -> ProducerRegisterReply {
        state.registerProducer(ProducerRegistration(clientID: "p", hostName: "h", topics: ["tp"]), now: 17)
    }
}

extension MasterState {
    /// Soft-deletes, removes, purges and then deletes a topic deployed on one broker.
    mutating func deleteTopicControlAfterCleanup(topic: String, brokerID: Int32) throws -> [MasterDirective] {
        _ = try stopAndDeleteTopicDeployment(topic: topic, brokerID: brokerID, by: "ops", now: 3)
        _ = try removeTopicDeployment(topic: topic, brokerID: brokerID, by: "ops", now: 4)
        _ = try registerBroker(BrokerRegistration(id: brokerID, host: "10.0.0.\(brokerID)"), now: 5)
        _ = try brokerHeartbeat(BrokerHeartbeat(id: brokerID, configVersion: 0, removedTopics: [topic]), now: 6)
        return try deleteTopicControl(topic: topic, by: "ops", now: 7)
    }
}
