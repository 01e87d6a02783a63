import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQTestKit
import TubeMQZooKeeper

@Suite struct ZooKeeperMetadataStoreTests {
    /// A master writing through the store, then a second store reading it back; a corrupt record,
    /// and writes refused once the fence (the writer's election znode) is gone.
    @Test func recordsRoundTripAndWritesAreFenced() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await HATestSupport.connect(server)
            let fenceOwner = try await HATestSupport.connect(server)
            let fence = try await fenceOwner.create("/fence-", mode: .ephemeralSequential)
            let store = ZooKeeperMetadataStore(client: zk, root: "/tubemq-test", fence: fence)
            let master = try await Master(store: store, logger: HATestSupport.logger)
            _ = try await master.addBroker(BrokerSpec(id: 7, host: "127.0.0.1", port: 9123), by: "test")
            _ = try await master.addTopicDeployment(
                topic: "orders",
                brokerID: 7,
                settings: TopicSettingsPatch(numPartitions: 4),
                by: "test"
            )
            try await master.setGroupConsume(group: "g1", topic: "orders", enabled: false, by: "test")
            _ = try await master.updateClusterSettings(ClusterSettingsPatch(maxMsgSizeInMB: 4), by: "test")
            let written = await master.snapshot()

            let children = try await zk.getChildren("/tubemq-test/meta/topics").names
            #expect(children == ["orders"])
            let reader = ZooKeeperMetadataStore(client: zk, root: "/tubemq-test")
            let loaded = try #require(try await reader.load())
            #expect(loaded.brokers == written.brokers)
            #expect(loaded.topics == written.topics)
            #expect(loaded.groups == written.groups)
            #expect(loaded.cluster == written.cluster)

            // The writer's election znode goes: every later write is refused by the fence.
            await fenceOwner.close()
            var changed = await master.snapshot()
            changed.cluster.maxMsgSizeInMB = 8
            await #expect(throws: MetadataStoreError.self) {
                try await store.persist(MetadataChange(version: 1_000, directives: [], snapshot: changed))
            }
            do {
                try await store.persist(MetadataChange(version: 1_001, directives: [], snapshot: changed))
            } catch let error as MetadataStoreError {
                #expect(error.code == .fenced)
            }
            let unchanged = try #require(try await ZooKeeperMetadataStore(client: zk, root: "/tubemq-test").load())
            #expect(unchanged.cluster.maxMsgSizeInMB == 4)

            // A store with no fence refuses writes too.
            do {
                try await reader.persist(MetadataChange(version: 1, directives: [], snapshot: changed))
                Issue.record("a store without a fence wrote")
            } catch let error as MetadataStoreError {
                #expect(error.code == .fenced)
            }

            // A corrupt record: the error names the znode.
            try await zk.setData("/tubemq-test/meta/brokers/7", data: Array("{not json".utf8))
            do {
                _ = try await ZooKeeperMetadataStore(client: zk, root: "/tubemq-test").load()
                Issue.record("a corrupt znode loaded")
            } catch let error as MetadataStoreError {
                #expect(error.code == .corrupt)
                #expect(error.message.contains("/tubemq-test/meta/brokers/7"))
            }
            await master.shutdown()
            await zk.close()
        }
    }

    /// ZooKeeper does not create a chroot; a missing one failed every election call, and the master
    /// said "ready" and looped. It now refuses to start, naming the chroot.
    @Test func missingChrootFailsStartWithAClearError() async throws {
        try await ZooKeeperTestServer.with { server in
            do {
                _ = try await HAMasterServer.start(
                    configuration: MasterServer.Configuration(port: 0),
                    zooKeeper: HAMasterServer.ZooKeeperSettings(connectString: server.connectString + "/nowhere"),
                    webPort: 0,
                    logger: HATestSupport.logger
                )
                Issue.record("started under a missing chroot")
            } catch let error as HAMasterError {
                #expect(error.message.contains("chroot /nowhere, which does not exist"))
            }
            // Once it exists, the master starts under it.
            let zk = try await HATestSupport.connect(server)
            try await zk.create("/nowhere")
            let master = try await HAMasterServer.start(
                configuration: MasterServer.Configuration(port: 0),
                zooKeeper: HAMasterServer.ZooKeeperSettings(connectString: server.connectString + "/nowhere"),
                webPort: 0,
                logger: HATestSupport.logger
            )
            await master.shutdown()
            await zk.close()
        }
    }

    @Test func unreachableZooKeeperFailsStartWithAClearError() async throws {
        let refusing = try RefusingPort()
        let port = refusing.port
        let start = ContinuousClock.now
        do {
            _ = try await HAMasterServer.start(
                configuration: MasterServer.Configuration(port: 0),
                zooKeeper: HAMasterServer.ZooKeeperSettings(
                    connectString: "127.0.0.1:\(port)",
                    startAttempts: 2
                ),
                webPort: 0,
                logger: HATestSupport.logger
            )
            Issue.record("started without ZooKeeper")
        } catch let error as HAMasterError {
            #expect(error.message.contains("127.0.0.1:\(port)"))
            #expect(error.message.contains("unreachable after 2 attempts"))
        }
        // Alone it fails in under a second; the bound only tells "gave up" from "retries for ever", with
        // room for a full test run on two loaded cores (one took 16 s).
        #expect(ContinuousClock.now - start < .seconds(60))
        withExtendedLifetime(refusing) {}
    }
}
