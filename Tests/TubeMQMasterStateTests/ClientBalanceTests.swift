import Testing
import TubeMQCore
import TubeMQMasterState

/// Client-balanced groups (methods 20–22) in the state machine.
@Suite struct ClientBalanceTests {
    static func registration(
        _ id: String,
        group: String = "g_cb",
        topics: Set<String> = ["tp"],
        node: Int32 = 0
    )
        -> ClientBalanceRegistration
    {
        ClientBalanceRegistration(
            clientID: id,
            group: group,
            hostName: "127.0.0.1",
            sourceCount: 2,
            nodeID: node,
            topics: topics
        )
    }

    @Test func membersLearnBrokersAndTopicPlacementOnlyWhenStale() throws {
        var cluster = try TestCluster(partitions: 3, stores: 2)
        let first = try cluster.state.registerClientBalanceConsumer(Self.registration("c_a"), now: 100)
        #expect(first.brokers == [TestCluster.broker])
        let meta = try cluster.state.clientBalanceMeta(
            clientID: "c_a",
            group: "g_cb",
            brokerListID: first.brokerListID,
            topicMetaID: -2,
            now: 200
        )
        #expect(meta.brokers == nil)
        let placement = try #require(meta.topicMeta)
        #expect(placement.map(\.topic) == ["tp"])
        #expect(
            placement.first?.deployments == [
                .init(brokerID: 1, numTopicStores: 2, numPartitions: 3, subscribable: true)
            ]
        )
        let again = try cluster.state.clientBalanceMeta(
            clientID: "c_a",
            group: "g_cb",
            brokerListID: first.brokerListID,
            topicMetaID: try #require(meta.topicMetaID),
            now: 300
        )
        #expect(again.topicMeta == nil)
        #expect(again.topicMetaID == meta.topicMetaID)

        // A heartbeat long after the last assignment gets the placement again (the client catches up).
        let late = try cluster.state.clientBalanceHeartbeat(
            clientID: "c_a",
            group: "g_cb",
            report: ClientBalanceReport(
                brokerListID: first.brokerListID,
                topicMetaID: -2,
                lastAssignedAt: 300,
                partitions: [
                    ReportedPartition(brokerID: 1, topic: "tp", partitionID: 0),
                    // Not a topic of the group: not kept.
                    ReportedPartition(brokerID: 1, topic: String(repeating: "x", count: 10_000), partitionID: 0),
                ]
            ),
            consumeFromMaxID: -2,
            now: 300 + MasterState.metaForceUpdatePeriodMs + 1
        )
        #expect(late.topicMeta == placement)
        #expect(cluster.state.clientBalanceGroup("g_cb")?.members["c_a"]?.reported.count == 1)
    }

    @Test func groupsRefuseInconsistentOrMixedMembers() throws {
        var cluster = try TestCluster(topics: ["tp", "tq"])
        _ = try cluster.state.registerClientBalanceConsumer(Self.registration("c_a"), now: 0)
        #expect(throws: MasterError.self) {
            try cluster.state.registerClientBalanceConsumer(Self.registration("c_b", topics: ["tq"], node: 1), now: 0)
        }
        do {
            try cluster.register("s_a", group: "g_cb", now: 0)
            Issue.record("a server-balanced consumer joined a client-balanced group")
        } catch let error as MasterError {
            #expect(error.code == .inconsistentConsumeType)
        }
        try cluster.register("s_b", group: "g_server", now: 0)
        do {
            _ = try cluster.state.registerClientBalanceConsumer(Self.registration("c_c", group: "g_server"), now: 0)
            Issue.record("a client-balanced consumer joined a server-balanced group")
        } catch {
            #expect(error.code == .inconsistentConsumeType)
        }
        do {
            _ = try cluster.state.registerClientBalanceConsumer(Self.registration("c_d", node: 2), now: 0)
            Issue.record("nodeId 2 of 2 was accepted")
        } catch {
            #expect(error.code == .badRequest)
        }
    }

    @Test func silentMembersExpireAndClosedOnesLeave() throws {
        var cluster = try TestCluster()
        _ = try cluster.state.registerClientBalanceConsumer(Self.registration("c_a"), now: 0)
        _ = try cluster.state.registerClientBalanceConsumer(Self.registration("c_b", node: 1), now: 0)
        let closed = cluster.state.closeConsumer(clientID: "c_b", group: "g_cb", now: 10)
        #expect(closed)
        _ = cluster.state.tick(now: 31_000)
        #expect(cluster.state.clientBalanceGroup("g_cb") == nil)
        #expect(throws: MasterError.self) {
            try cluster.state.clientBalanceHeartbeat(
                clientID: "c_a",
                group: "g_cb",
                report: ClientBalanceReport(),
                consumeFromMaxID: -2,
                now: 31_001
            )
        }
    }

    @Test func consumeFromMaxReachesEachMemberOnce() throws {
        var cluster = try TestCluster()
        _ = try cluster.state.registerClientBalanceConsumer(Self.registration("c_a"), now: 0)
        try cluster.state.setClientBalanceConsumeFromMax(group: "g_cb", now: 50)
        let told = try cluster.state.clientBalanceHeartbeat(
            clientID: "c_a",
            group: "g_cb",
            report: ClientBalanceReport(),
            consumeFromMaxID: -2,
            now: 60
        )
        let id = try #require(told.consumeFromMaxID)
        let done = try cluster.state.clientBalanceHeartbeat(
            clientID: "c_a",
            group: "g_cb",
            report: ClientBalanceReport(),
            consumeFromMaxID: id,
            now: 70
        )
        #expect(done.consumeFromMaxID == nil)
        #expect(throws: MasterError.self) { try cluster.state.setClientBalanceConsumeFromMax(group: "g_none", now: 80) }
    }
}
