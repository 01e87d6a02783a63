import Foundation
import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQWire

/// The master keeps brokers, topics, group settings and cluster defaults in its data directory:
/// they survive a restart, and every admin change is on disk before the call returns.
@Suite struct RestartTests {
    @Test func brokersTopicsAndGroupsSurviveARestartFromTheDataDirectory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var configuration = TestMaster.recordedTimings
        configuration.dataDirectory = directory.path

        try await TestMaster.with(configuration: configuration, store: nil) { harness in
            try await harness.setUpRecordedCluster(topics: ["t_go", "t_java"], partitions: ["t_java": 4])
            try await harness.master.setTopicControl(topic: "t_go", maxMsgSizeInMB: 2, by: "test")
            try await harness.master.setGroupConsume(group: "g_banned", topic: "t_go", enabled: false, by: "test")
            try await harness.master.updateClusterSettings(ClusterSettingsPatch(qryPriorityID: 202), by: "test")
            // On disk already, before any shutdown.
            let text = try String(contentsOfFile: directory.path + "/" + FileMetadataStore.fileName, encoding: .utf8)
            #expect(text.contains("\"t_java\"") && text.contains("g_banned"))
        }

        try await TestMaster.with(configuration: configuration, store: nil) { harness in
            let master = harness.master
            #expect(await master.brokers().map(\.config.id) == [1])
            #expect(await master.broker(id: 1)?.config.manageStatus == .online)
            #expect(await master.broker(id: 1)?.runState == .unregistered)
            #expect(await master.topics().map(\.name) == ["t_go", "t_java"])
            #expect(await master.topic(named: "t_java")?.deployments.first?.settings.numPartitions == 4)
            #expect(await master.topic(named: "t_go")?.maxMsgSizeInMB == 2)
            #expect(await master.groupSettings(named: "g_banned")?.consumeDisabled.keys.sorted() == ["t_go"])
            #expect(await master.clusterSettings().qryPriorityID == 202)

            // The broker registers again and producers see the restored topics.
            let registered: RegisterResponseM2B = try await harness.call(
                .brokerRegister,
                TestMaster.brokerRegistration()
            )
            #expect(registered.success)
            #expect(registered.brokerTopicSetConfInfo.count == 2)
            let _: HeartResponseM2B = try await harness.call(
                .brokerHeartbeat,
                TestMaster.brokerHeartbeat(confID: registered.curBrokerConfID)
            )
            var register = RegisterRequestP2M()
            register.clientID = "p"
            register.brokerCheckSum = -1
            register.hostName = "127.0.0.1"
            let _: RegisterResponseM2P = try await harness.call(.producerRegister, register)
            var heartbeat = HeartRequestP2M()
            heartbeat.clientID = "p"
            heartbeat.brokerCheckSum = -1
            heartbeat.hostName = "127.0.0.1"
            heartbeat.topicList = ["t_go", "t_java"]
            let reply: HeartResponseM2P = try await harness.call(.producerHeartbeat, heartbeat)
            #expect(reply.topicInfos == ["t_go#1:2:1#2097152", "t_java#1:4:1#"])

            // A banned group stays banned.
            var consumer = RegisterRequestC2M()
            consumer.clientID = "c"
            consumer.groupName = "g_banned"
            consumer.hostName = "127.0.0.1"
            consumer.topicList = ["t_go"]
            let refused: RegisterResponseM2C = try await harness.call(.consumerRegister, consumer)
            #expect(!refused.success && refused.errCode == 450)
        }
    }

    @Test func aSecondMasterCannotOpenARunningMastersDirectory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var configuration = TestMaster.recordedTimings
        configuration.dataDirectory = directory.path
        try await TestMaster.with(configuration: configuration, store: nil) { _ in
            await #expect(throws: MetadataStoreError.self) {
                _ = try await MasterServer.start(configuration: configuration, logger: TestMaster.logger)
            }
        }
    }
}
