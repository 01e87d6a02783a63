import Testing
import TubeMQCore
import TubeMQMasterState

/// `probe-rebalance-noreport.jsonl`: consumers that ack without `reportSubscribeInfo` never tell the
/// master what they hold, so every balance round sends them ONLY_CONNECT again and never a disconnect.
@Suite struct NoReportTests {
    @Test func withoutReportsEveryRoundPushesOnlyConnectAgain() throws {
        var cluster = try TestCluster(partitions: 2)
        var a = SimulatedConsumer("a", reports: false)
        var b = SimulatedConsumer("b", reports: false)
        try cluster.register("a", now: 0)
        _ = cluster.state.balance(now: 5_000)
        #expect(try a.heartbeat(&cluster.state, now: 5_012).event?.type == .onlyConnect)
        #expect(!(try a.heartbeat(&cluster.state, now: 5_016).notAllocated), "the ack allocates, report or not")
        #expect(cluster.state.group(named: "gp")?.members["a"]?.held.isEmpty == true, "an ack is not a report")
        try cluster.register("b", now: 5_019)

        var ids: [Int64] = []
        for round in 1...5 {
            let now = 5_000 + Int64(round) * 5_000
            let report = cluster.state.balance(now: now)
            #expect(report.events.allSatisfy { $0.event.type == .onlyConnect && !$0.waitsForDisconnects })
            #expect(Set(report.events.map(\.consumerID)) == ["a", "b"], "round \(round)")
            let toA = try #require(try a.heartbeat(&cluster.state, now: now + 1).event)
            let toB = try #require(try b.heartbeat(&cluster.state, now: now + 2).event)
            #expect(toA.type == .onlyConnect && toB.type == .onlyConnect)
            #expect(toA.rebalanceID == toB.rebalanceID)
            ids.append(toA.rebalanceID)
            try a.heartbeat(&cluster.state, now: now + 1_001)
            try b.heartbeat(&cluster.state, now: now + 1_002)
            #expect(cluster.owners().isEmpty, "the master still knows nothing")
        }
        #expect(ids == Array(ids[0]...(ids[0] + 4)), "one rebalance id per round")
        #expect(a.received.allSatisfy { $0.type == .onlyConnect })
    }

    @Test func aLaterReportSettlesTheGroup() throws {
        var cluster = try TestCluster(partitions: 2)
        var a = SimulatedConsumer("a", reports: false)
        try cluster.register("a", now: 0)
        _ = cluster.state.balance(now: 5_000)
        try a.heartbeat(&cluster.state, now: 5_001)
        try a.heartbeat(&cluster.state, now: 5_002)
        // A periodic report (as Go sends) without an event.
        _ = try cluster.state.consumerHeartbeat(
            ConsumerHeartbeat(
                clientID: "a",
                group: "gp",
                report: [TestCluster.partition(0), TestCluster.partition(1)]
            ),
            now: 6_000
        )
        #expect(cluster.state.balance(now: 10_000).events.isEmpty)
    }
}
