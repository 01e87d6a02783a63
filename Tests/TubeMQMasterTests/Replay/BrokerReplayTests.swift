import Testing
import TubeMQMaster
import TubeMQWire

/// `broker-master.jsonl` replayed over RPC: an old broker's close, then a new broker's register and
/// heartbeats, answered with the recorded reply shapes and configuration strings.
@Suite struct BrokerReplayTests {
    static let topics = ["t_filter", "t_java", "t_go", "t_cpp", "t_probe", "__offset_history__"]

    @Test func brokerRecordingReplaysWithTheRecordedShapes() async throws {
        let frames = try #require(RecordedFrames.master("broker-master.jsonl"))
        try await TestMaster.with { harness in
            try await harness.configureRecordedCluster(topics: Self.topics, partitions: ["__offset_history__": 10])
            var replay = MasterReplay(harness: harness, origin: harness.clock.now())
            await replay.run(frames)
            #expect(replay.mismatches == [])
            #expect(replay.comparedReplies == 5)
        }
    }

    @Test func registerReplyCarriesTheRecordedDefaultString() async throws {
        try await TestMaster.with { harness in
            try await harness.configureRecordedCluster(topics: ["t_go"])
            let reply: RegisterResponseM2B = try await harness.call(.brokerRegister, TestMaster.brokerRegistration())
            #expect(reply.success)
            #expect(reply.brokerDefaultConfInfo == "2:true:true:1000:10000: :delete,168h:1:0:3:10:20000")
            #expect(reply.brokerTopicSetConfInfo.count == 1)
            #expect(reply.brokerTopicSetConfInfo.first?.hasPrefix("t_go:") == true)
            #expect(
                reply.brokerTopicSetConfInfo.first?.split(separator: ":", omittingEmptySubsequences: false).count == 15
            )
            #expect(reply.qryPriorityID == 301)
            #expect(reply.clsConfig.configID == -2)
            #expect(reply.hasClsConfig && !reply.clsConfig.hasMaxMsgSize)
            #expect(reply.takeConfInfo)
            #expect(reply.confCheckSumID >= 0)
        }
    }

    @Test func staleHeartbeatTakesTheConfigurationAndCurrentOneDoesNot() async throws {
        try await TestMaster.with { harness in
            let registered = try await harness.setUpRecordedCluster(topics: ["t_go"])
            try await harness.master.addTopicDeployment(topic: "t_cpp", brokerID: 1, by: "test")
            let stale: HeartResponseM2B = try await harness.call(
                .brokerHeartbeat,
                TestMaster.brokerHeartbeat(confID: registered.curBrokerConfID)
            )
            #expect(stale.takeConfInfo)
            #expect(stale.curBrokerConfID != registered.curBrokerConfID)
            #expect(stale.brokerTopicSetConfInfo.map { $0.split(separator: ":").first ?? "" } == ["t_cpp", "t_go"])
            let current: HeartResponseM2B = try await harness.call(
                .brokerHeartbeat,
                TestMaster.brokerHeartbeat(confID: stale.curBrokerConfID)
            )
            #expect(!current.takeConfInfo)
            #expect(!current.hasBrokerDefaultConfInfo && current.brokerTopicSetConfInfo.isEmpty)
            #expect(current.confCheckSumID == stale.confCheckSumID)
        }
    }

    @Test func unknownBrokerHeartbeatIsRefusedWithEveryRequiredField() async throws {
        try await TestMaster.with { harness in
            let reply: HeartResponseM2B = try await harness.call(
                .brokerHeartbeat,
                TestMaster.brokerHeartbeat(brokerID: "7", confID: 0)
            )
            #expect(!reply.success)
            #expect(reply.errCode == 411)
            #expect(reply.hasStopRead && reply.hasStopWrite && reply.hasCurBrokerConfID && reply.hasConfCheckSumID)
            #expect(reply.hasNeedReportData && reply.hasTakeConfInfo && reply.hasTakeRemoveTopicInfo)
            let unconfigured: RegisterResponseM2B = try await harness.call(
                .brokerRegister,
                TestMaster.brokerRegistration(clientID: "9:127.0.0.9:8123:x")
            )
            #expect(!unconfigured.success)
            #expect(unconfigured.errCode == 400)
            #expect(unconfigured.hasStopRead && unconfigured.hasStopWrite && unconfigured.hasTakeConfInfo)
            let garbled: RegisterResponseM2B = try await harness.call(
                .brokerRegister,
                TestMaster.brokerRegistration(clientID: "not-a-broker")
            )
            #expect(garbled.errCode == 400)
        }
    }
}
