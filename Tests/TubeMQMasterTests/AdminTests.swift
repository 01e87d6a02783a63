import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQWire

/// The admin API the webapi calls: typed errors with TubeMQ admin codes, changes persisted before
/// the call returns, and visible to clients at once.
@Suite struct AdminTests {
    /// The admin code `body` fails with, `nil` if it succeeds, -1 for an error that is no
    /// ``MasterError``.
    static func code(_ body: () async throws -> Void) async -> Int32? {
        do {
            try await body()
            return nil
        } catch {
            return (error as? MasterError)?.code.rawValue ?? -1
        }
    }

    @Test func brokerAdministrationAnswersWithAdminCodes() async throws {
        try await TestMaster.with { harness in
            let master = harness.master
            let added = try await master.addBroker(BrokerSpec(host: "10.1.2.3"), by: "admin")
            #expect(added.config.id == 167_838_211, "an id derived from the address")
            #expect(added.config.manageStatus == .draft && added.runState == .unregistered)
            #expect(
                await Self.code { try await master.addBroker(BrokerSpec(id: 167_838_211, host: "10.1.2.4"), by: "a") }
                    == 402
            )
            #expect(await Self.code { try await master.addBroker(BrokerSpec(id: 5, host: "10.1.2"), by: "a") } == 400)
            #expect(await Self.code { try await master.updateBroker(id: 99, BrokerPatch(port: 9000), by: "a") } == 401)
            #expect(
                await Self.code {
                    try await master.setBrokerReadWrite(
                        id: added.config.id,
                        acceptPublish: false,
                        acceptSubscribe: nil,
                        by: "a"
                    )
                } == 405
            )

            let online = try await master.onlineBroker(id: added.config.id, by: "admin")
            #expect(online.config.manageStatus == .online)
            let readOnly = try await master.setBrokerReadWrite(
                id: added.config.id,
                acceptPublish: false,
                acceptSubscribe: nil,
                by: "admin"
            )
            #expect(readOnly.config.manageStatus == .readOnly)
            try await master.addTopicDeployment(topic: "t_admin", brokerID: added.config.id, by: "admin")
            #expect(await Self.code { try await master.deleteBroker(id: added.config.id, by: "a") } == 406)
            try await master.offlineBroker(id: added.config.id, by: "admin")
            #expect(await Self.code { try await master.deleteBroker(id: added.config.id, by: "a") } == 406)
            #expect(
                await Self.code {
                    try await master.deleteTopicDeployment(topic: "t_admin", brokerID: added.config.id, by: "admin")
                } == 406,
                "a deployment still publishing and subscribing is not deleted"
            )
            try await master.updateTopicDeployment(
                topic: "t_admin",
                brokerID: added.config.id,
                settings: TopicSettingsPatch(acceptPublish: false, acceptSubscribe: false),
                by: "admin"
            )
            try await master.deleteTopicDeployment(topic: "t_admin", brokerID: added.config.id, by: "admin")
            try await master.removeTopicDeployment(topic: "t_admin", brokerID: added.config.id, by: "admin")
            #expect(await master.brokers().count == 1)
        }
    }

    @Test func topicAdministrationValidatesAndReportsTheTopic() async throws {
        try await TestMaster.with { harness in
            let master = harness.master
            try await harness.setUpRecordedCluster(topics: [])
            #expect(await Self.code { try await master.addTopicDeployment(topic: "t_x", brokerID: 9, by: "a") } == 401)
            #expect(await Self.code { try await master.addTopicDeployment(topic: "9bad", brokerID: 1, by: "a") } == 400)
            #expect(
                await Self.code {
                    try await master.addTopicDeployment(
                        topic: "t_x",
                        brokerID: 1,
                        settings: TopicSettingsPatch(numPartitions: 0),
                        by: "a"
                    )
                } == 407
            )
            let topic = try await master.addTopicDeployment(
                topic: "t_x",
                brokerID: 1,
                settings: TopicSettingsPatch(numPartitions: 3, unflushThreshold: 500, deletePolicy: "delete,24h"),
                by: "admin"
            )
            let deployment = try #require(topic.deployments.first)
            #expect(deployment.settings.numPartitions == 3)
            #expect(deployment.settings.unflushThreshold == 500)
            #expect(deployment.settings.deletePolicy == "delete,24h")
            #expect(await Self.code { try await master.addTopicDeployment(topic: "t_x", brokerID: 1, by: "a") } == 402)
            #expect(
                await Self.code {
                    try await master.updateTopicDeployment(
                        topic: "t_x",
                        brokerID: 1,
                        settings: TopicSettingsPatch(numPartitions: 2),
                        by: "a"
                    )
                } == 407
            )
            let grown = try await master.updateTopicDeployment(
                topic: "t_x",
                brokerID: 1,
                settings: TopicSettingsPatch(numPartitions: 4, unflushInterval: 5_000),
                by: "admin"
            )
            #expect(grown.deployments.first?.settings.numPartitions == 4)
            #expect(
                await Self.code { try await master.setTopicControl(topic: "t_x", maxMsgSizeInMB: 21, by: "a") } == 407
            )
            #expect(await Self.code { try await master.deleteTopicControl(topic: "t_x", by: "a") } == 404)
            #expect(
                await master.publishInfo(topic: "t_x") == nil,
                "producers are told of the topic once the broker holds it"
            )
            let version = try #require(await master.broker(id: 1)).config.configVersion
            let _: HeartResponseM2B = try await harness.call(
                .brokerHeartbeat,
                TestMaster.brokerHeartbeat(confID: version)
            )
            #expect(await master.publishInfo(topic: "t_x")?.brokers.first?.numPartitions == 4)
        }
    }

    @Test func adminChangesReachClientsAndBrokers() async throws {
        try await TestMaster.with { harness in
            let registered = try await harness.setUpRecordedCluster(topics: ["t_go"])
            try await harness.master.addTopicDeployment(
                topic: "t_new",
                brokerID: 1,
                settings: TopicSettingsPatch(numTopicStores: 2),
                by: "admin"
            )
            let _: RegisterResponseM2P = try await harness.call(.producerRegister, TimerTests.producerRegistration("p"))
            var heartbeat = HeartRequestP2M()
            heartbeat.clientID = "p"
            heartbeat.brokerCheckSum = -1
            heartbeat.hostName = "127.0.0.1"
            heartbeat.topicList = ["t_new"]
            let early: HeartResponseM2P = try await harness.call(.producerHeartbeat, heartbeat)
            #expect(early.topicInfos.isEmpty, "the broker has not taken the new topic yet")
            #expect(early.brokerInfos == ["1:127.0.0.1: "])
            let broker: HeartResponseM2B = try await harness.call(
                .brokerHeartbeat,
                TestMaster.brokerHeartbeat(confID: registered.curBrokerConfID)
            )
            #expect(broker.takeConfInfo)
            #expect(broker.brokerTopicSetConfInfo.contains { $0.hasPrefix("t_new:") })
            let _: HeartResponseM2B = try await harness.call(
                .brokerHeartbeat,
                TestMaster.brokerHeartbeat(confID: broker.curBrokerConfID)
            )
            let reply: HeartResponseM2P = try await harness.call(.producerHeartbeat, heartbeat)
            #expect(reply.topicInfos == ["t_new#1:2:2#"])

            try await harness.master.setGroupConsume(
                group: "g_no",
                topic: "t_go",
                enabled: false,
                reason: "test",
                by: "admin"
            )
            let refused: RegisterResponseM2C = try await harness.call(
                .consumerRegister,
                TimerTests.consumerRegistration("c", group: "g_no", topic: "t_go")
            )
            #expect(!refused.success && refused.errCode == 450)
            #expect(!refused.hasNotAllocated && !refused.hasAuthorizedInfo)
            let groups = await harness.master.groups()
            #expect(groups.isEmpty)
        }
    }

    @Test func aStoreFailureIsReported501AndTheNextChangeCatchesUp() async throws {
        let store = FailingStore()
        try await TestMaster.with(store: store) { harness in
            let master = harness.master
            try await master.addBroker(BrokerSpec(id: 1, host: "127.0.0.1", manageStatus: .online), by: "admin")
            await store.setFailing(true)
            #expect(await Self.code { try await master.addTopicDeployment(topic: "t_a", brokerID: 1, by: "a") } == 501)
            #expect(await master.topic(named: "t_a") != nil, "the change stays applied")
            // While the earlier change is unsaved and the store still fails, nothing more is applied.
            #expect(await Self.code { try await master.addTopicDeployment(topic: "t_c", brokerID: 1, by: "a") } == 501)
            #expect(await master.topic(named: "t_c") == nil, "not applied")
            await store.setFailing(false)
            try await master.addTopicDeployment(topic: "t_b", brokerID: 1, by: "admin")
            let last = try #require(await store.written.last)
            #expect(last.snapshot.topics.map(\.name) == ["t_a", "t_b"])
        }
    }

    /// A master that stops with changes its store could not save says so (its executables then exit
    /// non-zero): they are lost when it starts again. It said nothing and exited 0.
    @Test func stoppingWithUnsavedChangesReportsIt() async throws {
        let store = FailingStore()
        let master = try await Master(store: store, logger: TestMaster.logger)
        try await master.addBroker(BrokerSpec(id: 1, host: "127.0.0.1", manageStatus: .online), by: "admin")
        await store.setFailing(true)
        #expect(await Self.code { try await master.addTopicDeployment(topic: "t_a", brokerID: 1, by: "a") } == 501)
        #expect(await master.shutdown() == false)

        let healthy = FailingStore()
        let other = try await Master(store: healthy, logger: TestMaster.logger)
        try await other.addBroker(BrokerSpec(id: 1, host: "127.0.0.1", manageStatus: .online), by: "admin")
        #expect(await other.shutdown() == true)
    }

    @Test func queriesShowGroupsAndMembers() async throws {
        try await TestMaster.with { harness in
            try await harness.setUpRecordedCluster(topics: ["t_go"])
            let _: RegisterResponseM2C = try await harness.call(
                .consumerRegister,
                TimerTests.consumerRegistration("c1", group: "g1", topic: "t_go")
            )
            let _: HeartResponseM2C = try await harness.call(
                .consumerHeartbeat,
                TimerTests.consumerHeartbeat("c1", group: "g1")
            )
            await harness.advance(by: 5_000)
            let group = try #require(await harness.master.group(named: "g1"))
            #expect(group.topics == ["t_go"])
            #expect(group.members["c1"]?.queued.first?.type == .onlyConnect)
            #expect(await harness.master.consumer(clientID: "c1")?.group == "g1")
            #expect(await harness.master.groups(subscribing: "t_go") == ["g1"])
        }
    }
}
