import Testing
import TubeMQCore
import TubeMQMasterState

@Suite struct BrokerTests {
    @Test func checksumChangesOnlyWhenTheServingListChanges() throws {
        var state = MasterState(configuration: .recorded, now: 1_000)
        let initial = state.brokerChecksum
        _ = try state.addBroker(BrokerSpec(id: 1, host: "127.0.0.1", manageStatus: .online), by: "a", now: 1_000)
        _ = try state.addBroker(
            BrokerSpec(id: 2, host: "127.0.0.1", port: 8200, manageStatus: .online),
            by: "a",
            now: 1_000
        )
        #expect(state.brokerChecksum == initial, "configured but not registered brokers do not count")

        let registered = try state.registerBroker(BrokerRegistration(id: 1, host: "127.0.0.1"), now: 2_000)
        #expect(registered.takeConfig)
        #expect(state.servingBrokers.isEmpty, "a broker serves once it heartbeats online")
        let online = try state.brokerHeartbeat(
            BrokerHeartbeat(id: 1, configVersion: registered.configVersion),
            now: 3_000
        )
        #expect(!online.takeConfig)
        #expect(online.directives.contains(.brokerListChanged(checksum: state.brokerChecksum)))
        let afterFirst = state.brokerChecksum
        #expect(afterFirst != initial)
        #expect(state.servingBrokers == [BrokerInfo(id: 1, host: "127.0.0.1")])

        _ = try state.brokerHeartbeat(BrokerHeartbeat(id: 1, configVersion: registered.configVersion), now: 11_000)
        #expect(state.brokerChecksum == afterFirst, "heartbeats of a serving broker change nothing")

        _ = try state.registerBroker(
            BrokerRegistration(id: 2, host: "127.0.0.1", port: 8200, online: true),
            now: 12_000
        )
        let afterSecond = state.brokerChecksum
        #expect(afterSecond > afterFirst)
        #expect(state.servingBrokers.map(\.id) == [1, 2])

        _ = try state.setBrokerManageStatus(id: 2, .offline, by: "a", now: 12_000)
        let afterOffline = state.brokerChecksum
        #expect(afterOffline > afterSecond, "strictly increasing even at the same millisecond")
        #expect(state.servingBrokers.map(\.id) == [1])
    }

    /// A broker's service reports (`writeStatusRpt` 1 while its storage refuses writes) are kept for
    /// the run status (`isRepAbnormal`); they were ignored, and a full broker looked normal.
    @Test func serviceReportsAreKept() throws {
        var state = MasterState(configuration: .recorded, now: 1_000)
        _ = try state.addBroker(BrokerSpec(id: 1, host: "127.0.0.1", manageStatus: .online), by: "a", now: 1_000)
        #expect(state.broker(id: 1)?.reported == nil, "not registered: nothing reported")
        let registered = try state.registerBroker(BrokerRegistration(id: 1, host: "127.0.0.1"), now: 2_000)
        #expect(state.broker(id: 1)?.reported?.isAbnormal == false)
        var full = BrokerHeartbeat(id: 1, configVersion: registered.configVersion)
        full.reported = BrokerServiceReport(write: 1)
        _ = try state.brokerHeartbeat(full, now: 3_000)
        #expect(state.broker(id: 1)?.reported == BrokerServiceReport(write: 1))
        _ = try state.brokerHeartbeat(BrokerHeartbeat(id: 1, configVersion: registered.configVersion), now: 4_000)
        #expect(state.broker(id: 1)?.reported?.isAbnormal == false)
    }

    @Test func brokerTimeoutTakesItOutOfService() throws {
        var cluster = try TestCluster(configuration: .recorded)  // broker 1 online since 0, 25 s timeout
        let before = cluster.state.brokerChecksum
        _ = cluster.state.registerProducer(ProducerRegistration(clientID: "p", hostName: "h"), now: 0)
        #expect(cluster.state.expire(now: 24_999).isEmpty)
        _ = try cluster.state.producerHeartbeat(
            ProducerHeartbeat(clientID: "p", topics: [], brokerChecksum: before),
            now: 24_999
        )
        let directives = cluster.state.expire(now: 25_000)
        #expect(directives == [.brokerExpired(id: 1), .brokerListChanged(checksum: cluster.state.brokerChecksum)])
        #expect(cluster.state.broker(id: 1)?.runState == .offline)
        let reply = try cluster.state.producerHeartbeat(
            ProducerHeartbeat(clientID: "p", topics: ["tp"], brokerChecksum: before),
            now: 25_001
        )
        #expect(reply.brokers == [])
        #expect(reply.topics.isEmpty)
        #expect(throws: MasterError.unknownBroker(1)) {
            try cluster.state.brokerHeartbeat(BrokerHeartbeat(id: 1, configVersion: 0), now: 25_002)
        }
    }

    @Test func registrationNeedsAMatchingRecord() throws {
        var state = MasterState(now: 0)
        #expect(throws: MasterError.self) {
            try state.registerBroker(BrokerRegistration(id: 9, host: "10.0.0.9"), now: 1)
        }
        _ = try state.addBroker(BrokerSpec(id: 9, host: "10.0.0.9"), by: "a", now: 1)
        #expect(throws: MasterError.self) {
            try state.registerBroker(BrokerRegistration(id: 9, host: "10.0.0.8"), now: 2)
        }
        let reply = try state.registerBroker(BrokerRegistration(id: 9, host: "10.0.0.9"), now: 3)
        #expect(reply.stopRead && reply.stopWrite, "a draft broker neither reads nor writes")
    }

    @Test func configChangesReachTheBrokerAndRemovedTopicsArePurged() throws {
        var cluster = try TestCluster()
        let version = try #require(cluster.state.broker(id: 1)).config.configVersion
        #expect(try #require(cluster.state.broker(id: 1)).isConfigLoaded)
        _ = try cluster.state.addTopicDeployment(topic: "up", brokerID: 1, by: "a", now: 100)
        let newVersion = try #require(cluster.state.broker(id: 1)).config.configVersion
        #expect(newVersion > version)
        let beat = try cluster.state.brokerHeartbeat(BrokerHeartbeat(id: 1, configVersion: version), now: 200)
        #expect(beat.takeConfig)
        #expect(beat.configVersion == newVersion)
        #expect(beat.topics.map(\.deployment.topic) == ["tp", "up"])
        #expect(beat.defaults.numPartitions == 1)

        _ = try cluster.state.stopAndDeleteTopicDeployment(topic: "up", brokerID: 1, by: "a", now: 300)
        _ = try cluster.state.removeTopicDeployment(topic: "up", brokerID: 1, by: "a", now: 301)
        let told = try cluster.state.brokerHeartbeat(BrokerHeartbeat(id: 1, configVersion: newVersion), now: 400)
        #expect(told.removedTopics.map(\.deployment.topic) == ["up"])
        let purged = try cluster.state.brokerHeartbeat(
            BrokerHeartbeat(id: 1, configVersion: told.configVersion, removedTopics: ["up"]),
            now: 500
        )
        #expect(!purged.takeConfig)
        #expect(cluster.state.topic(named: "up")?.deployments.isEmpty == true)
        #expect(
            purged.directives.contains { if case .persistTopic(let topic) = $0 { topic.name == "up" } else { false } }
        )
    }

    @Test func closedBrokerLeavesTheListAndItsPartitionsAreDisconnected() throws {
        var cluster = try TestCluster(partitions: 2)
        var a = try cluster.settledConsumer("a")
        #expect(a.held.count == 2)
        #expect(!cluster.state.closeBroker(id: 1, now: 6_000).isEmpty)
        #expect(cluster.state.servingBrokers.isEmpty)
        let report = cluster.state.balance(now: 10_000)
        #expect(report.events.map(\.event.type) == [.onlyDisconnect])
        try a.heartbeat(&cluster.state, now: 10_001)
        #expect(a.held.isEmpty)
    }
}
