import Testing
import TubeMQCore
import TubeMQMasterState

@Suite struct AdminTests {
    /// The code of the ``MasterError`` `body` throws, or `nil` when it succeeds.
    func code(_ body: () throws -> Void) -> MasterError.Code? {
        do {
            try body()
            return nil
        } catch {
            return (error as? MasterError)?.code ?? MasterError.Code(rawValue: -1)
        }
    }

    @Test func brokerRecordsAreValidated() throws {
        var state = MasterState(now: 0)
        #expect(code { _ = try state.addBroker(BrokerSpec(host: "not-an-ip"), by: "a", now: 1) } == .badRequest)
        _ = try state.addBroker(BrokerSpec(host: "10.0.0.7"), by: "a", now: 1)
        #expect(state.brokers.map(\.config.id) == [167_772_167], "id derived from the IPv4 address")
        #expect(
            code { _ = try state.addBroker(BrokerSpec(id: 167_772_167, host: "10.0.0.8"), by: "a", now: 2) }
                == .recordExists
        )
        #expect(code { _ = try state.addBroker(BrokerSpec(id: 5, host: "10.0.0.7"), by: "a", now: 2) } == .recordExists)
        _ = try state.addBroker(BrokerSpec(id: 6, host: "10.0.0.7", port: 9000), by: "a", now: 2)
        #expect(
            code { _ = try state.addBroker(BrokerSpec(id: 7, host: "10.0.0.9", port: 8081), by: "a", now: 2) }
                == .illegalValue
        )
        #expect(code { _ = try state.updateBroker(id: 99, BrokerPatch(), by: "a", now: 3) } == .recordNotFound)
        #expect(
            code {
                _ = try state.setBrokerReadWrite(id: 6, acceptPublish: false, acceptSubscribe: nil, by: "a", now: 3)
            } == .preconditionFailed
        )
        _ = try state.setBrokerManageStatus(id: 6, .online, by: "a", now: 4)
        _ = try state.setBrokerReadWrite(id: 6, acceptPublish: false, acceptSubscribe: nil, by: "a", now: 5)
        #expect(state.broker(id: 6)?.config.manageStatus == .readOnly)
        _ = try state.addTopicDeployment(topic: "tp", brokerID: 6, by: "a", now: 6)
        #expect(code { _ = try state.deleteBroker(id: 6, by: "a", now: 7) } == .illegalStatus)
        _ = try state.setBrokerManageStatus(id: 6, .offline, by: "a", now: 8)
        #expect(code { _ = try state.deleteBroker(id: 6, by: "a", now: 9) } == .illegalStatus)
        let stamp = try #require(state.broker(id: 6)?.config.stamp)
        #expect(stamp.createdBy == "a" && stamp.createdAt == 2 && stamp.modifiedAt == 8)
        // A broker that never comes back can still be deleted once its topics are removed: the removed
        // deployments, which wait for its report, go with it.
        _ = try state.stopAndDeleteTopicDeployment(topic: "tp", brokerID: 6, by: "a", now: 10)
        _ = try state.removeTopicDeployment(topic: "tp", brokerID: 6, by: "a", now: 11)
        let deleted = try state.deleteBroker(id: 6, by: "a", now: 12)
        #expect(deleted.contains(.deleteBroker(id: 6)))
        #expect(state.topic(named: "tp")?.deployment(on: 6) == nil)
    }

    @Test func topicLifecycleFollowsItsStatuses() throws {
        var cluster = try TestCluster()
        #expect(
            code { _ = try cluster.state.addTopicDeployment(topic: "tp", brokerID: 1, by: "a", now: 1) }
                == .recordExists
        )
        #expect(
            code { _ = try cluster.state.addTopicDeployment(topic: "xx", brokerID: 9, by: "a", now: 1) }
                == .recordNotFound
        )
        #expect(
            code { _ = try cluster.state.addTopicDeployment(topic: "1bad", brokerID: 1, by: "a", now: 1) }
                == .badRequest
        )
        _ = try cluster.state.addTopicDeployment(topic: MasterState.offsetHistoryTopic, brokerID: 1, by: "a", now: 1)
        #expect(
            try cluster.state.restoreTopicDeployment(topic: "tp", brokerID: 1, by: "a", now: 2).isEmpty,
            "restoring a deployment in service is a no-op, as in TubeMQ"
        )
        #expect(
            code { _ = try cluster.state.removeTopicDeployment(topic: "tp", brokerID: 1, by: "a", now: 2) }
                == .illegalStatus
        )
        let shrink = TopicSettingsPatch(numPartitions: 1)
        _ = try cluster.state.updateTopicDeployment(
            topic: "tp",
            brokerID: 1,
            settings: TopicSettingsPatch(numPartitions: 4),
            by: "a",
            now: 3
        )
        #expect(
            cluster.state.subscribablePartitions(topic: "tp").map(\.key) == ["1:tp:0", "1:tp:1"],
            "partitions the broker has not created yet are not assigned"
        )
        #expect(cluster.state.publishInfo(topic: "tp")?.brokers.map(\.numPartitions) == [2])
        #expect(cluster.state.broker(id: 1)?.servedShares["tp"]?.numPartitions == 2, "runInfo shows what runs")
        #expect(cluster.state.broker(id: 1)?.isConfigLoaded == false)
        try cluster.brokerLoadsItsConfiguration(now: 3)
        #expect(cluster.state.publishInfo(topic: "tp")?.brokers.map(\.numPartitions) == [4])
        #expect(cluster.state.broker(id: 1)?.servedShares["tp"]?.numPartitions == 4)
        #expect(
            code {
                _ = try cluster.state.updateTopicDeployment(topic: "tp", brokerID: 1, settings: shrink, by: "a", now: 4)
            } == .illegalValue
        )
        _ = try cluster.state.stopAndDeleteTopicDeployment(topic: "tp", brokerID: 1, by: "a", now: 5)
        #expect(cluster.state.subscribablePartitions(topic: "tp").isEmpty)
        #expect(
            code {
                _ = try cluster.state.updateTopicDeployment(topic: "tp", brokerID: 1, settings: shrink, by: "a", now: 6)
            } == .illegalStatus
        )
        _ = try cluster.state.restoreTopicDeployment(topic: "tp", brokerID: 1, by: "a", now: 7)
        #expect(cluster.state.subscribablePartitions(topic: "tp").isEmpty, "restored, still not subscribing")
        let serve = TopicSettingsPatch(acceptPublish: true, acceptSubscribe: true)
        _ = try cluster.state.updateTopicDeployment(topic: "tp", brokerID: 1, settings: serve, by: "a", now: 7)
        #expect(
            cluster.state.subscribablePartitions(topic: "tp").map(\.key) == ["1:tp:0", "1:tp:1", "1:tp:2", "1:tp:3"]
        )
        #expect(code { _ = try cluster.state.deleteTopicControl(topic: "tp", by: "a", now: 8) } == .relatedConfigExists)
        #expect(
            code { _ = try cluster.state.setTopicControl(topic: "tp", maxMsgSizeInMB: 21, by: "a", now: 9) }
                == .illegalValue
        )
    }

    @Test func aBrokerThatCannotServeAllOfItsConfigurationKeepsServingWhatItWasGivenAtRegistration() throws {
        var state = MasterState(configuration: TestCluster.timings, now: 0)
        _ = try state.addBroker(BrokerSpec(id: 1, host: "127.0.0.1", manageStatus: .online), by: "a", now: 0)
        _ = try state.addTopicDeployment(topic: "ok", brokerID: 1, by: "a", now: 0)
        _ = try state.addTopicDeployment(topic: "broken", brokerID: 1, by: "a", now: 0)
        // A restarted broker (holding no version) whose "broken" topic fails to open keeps reporting the
        // version it held; the other topic is served all the same.
        _ = try state.registerBroker(BrokerRegistration(id: 1, host: "127.0.0.1"), now: 1)
        _ = try state.brokerHeartbeat(BrokerHeartbeat(id: 1, online: true, configVersion: 0), now: 2)
        #expect(state.publishInfo(topic: "ok") != nil)
        #expect(state.broker(id: 1)?.isConfigLoaded == false)
        // A later change waits until a heartbeat reports the whole configuration served.
        _ = try state.updateTopicDeployment(
            topic: "ok",
            brokerID: 1,
            settings: TopicSettingsPatch(numPartitions: 3),
            by: "a",
            now: 3
        )
        _ = try state.brokerHeartbeat(BrokerHeartbeat(id: 1, online: true, configVersion: 0), now: 4)
        #expect(state.publishInfo(topic: "ok")?.brokers.map(\.numPartitions) == [1])
    }

    @Test func aTopicRemovedAndDeployedAgainReachesProducersOnceTheBrokerHasItAgain() throws {
        var cluster = try TestCluster()
        _ = try cluster.state.stopAndDeleteTopicDeployment(topic: "tp", brokerID: 1, by: "a", now: 1)
        _ = try cluster.state.removeTopicDeployment(topic: "tp", brokerID: 1, by: "a", now: 2)
        try cluster.brokerLoadsItsConfiguration(now: 3)
        #expect(cluster.state.broker(id: 1)?.servedShares["tp"] == nil, "the broker dropped it")
        let version = try #require(cluster.state.broker(id: 1)).config.configVersion
        _ = try cluster.state.brokerHeartbeat(
            BrokerHeartbeat(id: 1, configVersion: version, removedTopics: ["tp"]),
            now: 4
        )
        #expect(cluster.state.topic(named: "tp")?.deployments.isEmpty == true, "purged")
        _ = try cluster.state.addTopicDeployment(
            topic: "tp",
            brokerID: 1,
            settings: TopicSettingsPatch(numPartitions: 3),
            by: "a",
            now: 5
        )
        #expect(cluster.state.publishInfo(topic: "tp") == nil, "not before the broker opened it again")
        #expect(cluster.state.subscribablePartitions(topic: "tp").isEmpty)
        try cluster.brokerLoadsItsConfiguration(now: 6)
        #expect(cluster.state.publishInfo(topic: "tp")?.brokers.map(\.numPartitions) == [3])
    }

    @Test(arguments: [
        ("delete,168h", "delete,168h"), ("DELETE, 12", "delete,12h"), ("delete,30m", "delete,30m"),
        ("delete,604800s", "delete,604800s"),
    ])
    func deletePolicyIsNormalized(input: String, expected: String) throws {
        #expect(try DeletePolicy.normalize(input) == expected)
    }

    @Test(arguments: ["keep,1h", "delete,0h", "delete,169h", "delete,abc", "delete", "delete,604801s"])
    func badDeletePoliciesAre407(input: String) {
        #expect(code { _ = try DeletePolicy.normalize(input) } == .illegalValue)
    }

    @Test func settingsRangesAreChecked() {
        let defaults = TopicSettings()
        #expect(code { _ = try defaults.applying(TopicSettingsPatch(numPartitions: 0)) } == .illegalValue)
        #expect(code { _ = try defaults.applying(TopicSettingsPatch(memCacheMsgSizeInMB: 4096)) } == .illegalValue)
        #expect(code { _ = try defaults.applying(TopicSettingsPatch(memCacheFlushIntvl: 3999)) } == .illegalValue)
        #expect(
            code { _ = try defaults.applying(TopicSettingsPatch(numTopicStores: 3, acceptSubscribe: false)) } == nil
        )
    }

    @Test func clusterDefaultsSeedNewBrokers() throws {
        var state = MasterState(now: 0)
        _ = try state.updateClusterSettings(
            ClusterSettingsPatch(brokerPort: 9123, topicDefaults: TopicSettingsPatch(numPartitions: 3)),
            by: "a",
            now: 1
        )
        #expect(
            code { _ = try state.updateClusterSettings(ClusterSettingsPatch(qryPriorityID: 311), by: "a", now: 2) }
                == .illegalValue
        )
        #expect(
            code {
                _ = try state.updateClusterSettings(
                    ClusterSettingsPatch(brokerPort: 9123, brokerWebPort: 9123),
                    by: "a",
                    now: 2
                )
            } == .illegalValue,
            "defaults whose ports clash would make every broker add without ports fail"
        )
        _ = try state.addBroker(BrokerSpec(id: 1, host: "10.0.0.1"), by: "a", now: 3)
        let broker = try #require(state.broker(id: 1))
        #expect(broker.config.port == 9123 && broker.config.defaults.numPartitions == 3)
        _ = try state.addTopicDeployment(topic: "tp", brokerID: 1, by: "a", now: 4)
        #expect(state.topic(named: "tp")?.deployment(on: 1)?.settings.numPartitions == 3)
    }
}
