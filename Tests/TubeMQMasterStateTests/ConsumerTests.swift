import Testing
import TubeMQCore
import TubeMQMasterState

@Suite struct ConsumerTests {
    @Test func firstBalanceConnectsEveryPartitionThenTheAckAllocatesTheGroup() throws {
        var cluster = try TestCluster(partitions: 2)
        #expect(try cluster.register("a", now: 0).notAllocated)
        var a = SimulatedConsumer("a")
        #expect(try a.heartbeat(&cluster.state, now: 2).event == nil)

        #expect(cluster.state.nextDeadline == 5_000)
        #expect(cluster.state.tick(now: 4_999).balance == nil, "the first balance waits for the start delay")
        let tick = cluster.state.tick(now: 5_000)
        #expect(tick.balance?.events.count == 1)
        #expect(cluster.state.nextBalanceAt == 10_000)

        let delivered = try a.heartbeat(&cluster.state, now: 5_010)
        let event = try #require(delivered.event)
        #expect(event.type == .onlyConnect)
        #expect(event.status == .todo)
        #expect(Set(event.partitions.map(\.key)) == ["1:tp:0", "1:tp:1"])
        #expect(event.subscriptions.allSatisfy { $0.consumerID == "a" && $0.group == "gp" })
        #expect(delivered.notAllocated, "still not allocated in the reply that carries the first event")
        #expect(cluster.state.group(named: "gp")?.members["a"]?.inFlight == event)

        let acked = try a.heartbeat(&cluster.state, now: 5_014)
        #expect(acked.event == nil)
        #expect(!acked.notAllocated)
        #expect(cluster.owners() == ["1:tp:0": ["a"], "1:tp:1": ["a"]])
        #expect(cluster.state.balance(now: 10_000).events.isEmpty, "a settled group gets nothing")
        #expect(!(try cluster.register("b", now: 10_001).notAllocated), "notAllocated is per group")
    }

    /// `go-consumer.jsonl`, `cpp-consumer.jsonl`: a consumer whose first heartbeat comes 5 s after
    /// registering is not assigned in a round before that heartbeat.
    @Test func balancingWaitsForTheFirstHeartbeat() throws {
        var cluster = try TestCluster(partitions: 2)
        try cluster.register("a", now: 59, heartbeat: false)
        #expect(cluster.state.balance(now: 5_000).skippedGroups == ["gp"])
        var a = SimulatedConsumer("a")
        #expect(try a.heartbeat(&cluster.state, now: 5_063).event == nil)
        #expect(cluster.state.balance(now: 10_000).events.count == 1)
        #expect(try a.heartbeat(&cluster.state, now: 15_085).event?.type == .onlyConnect)
    }

    @Test func oneEventInFlightAndNoRepeatUntilAcked() throws {
        var cluster = try TestCluster(partitions: 2)
        try cluster.register("a", now: 0)
        _ = cluster.state.balance(now: 5_000)
        let first = try cluster.state.consumerHeartbeat(ConsumerHeartbeat(clientID: "a", group: "gp"), now: 5_001)
        let event = try #require(first.event)
        let second = try cluster.state.consumerHeartbeat(ConsumerHeartbeat(clientID: "a", group: "gp"), now: 6_001)
        #expect(second.event == nil, "an in-flight event is not repeated")
        #expect(cluster.state.balance(now: 10_000).skippedGroups == ["gp"])
        let wrongAck = event.acknowledged().with(rebalanceID: event.rebalanceID + 7)
        _ = try cluster.state.consumerHeartbeat(
            ConsumerHeartbeat(clientID: "a", group: "gp", ack: wrongAck),
            now: 7_000
        )
        #expect(cluster.state.group(named: "gp")?.members["a"]?.inFlight == event, "a stale ack is ignored")
        #expect(cluster.state.group(named: "gp")?.notAllocated == true)
    }

    @Test func forbiddingARunningGroupTakesItsPartitionsAndAllowingGivesThemBack() throws {
        var cluster = try TestCluster(partitions: 2)
        var a = try cluster.settledConsumer("a")
        #expect(cluster.owners() == ["1:tp:0": ["a"], "1:tp:1": ["a"]])

        _ = cluster.state.setGroupConsume(group: "gp", topic: "tp", enabled: false, by: "ops", now: 6_000)
        _ = cluster.state.balance(now: 10_000)
        let taken = try #require(try a.heartbeat(&cluster.state, now: 10_001).event)
        #expect(taken.type == .onlyDisconnect)
        #expect(Set(taken.partitions.map(\.key)) == ["1:tp:0", "1:tp:1"])
        try a.heartbeat(&cluster.state, now: 10_002)
        #expect(cluster.owners().isEmpty, "a forbidden group holds nothing")
        #expect(cluster.state.balance(now: 15_000).events.isEmpty, "and is not given anything")

        _ = cluster.state.setGroupConsume(group: "gp", topic: "tp", enabled: true, by: "ops", now: 16_000)
        _ = cluster.state.balance(now: 20_000)
        #expect(try a.heartbeat(&cluster.state, now: 20_001).event?.type == .onlyConnect)
        try a.heartbeat(&cluster.state, now: 20_002)
        #expect(cluster.owners() == ["1:tp:0": ["a"], "1:tp:1": ["a"]])
    }

    /// A group restricted to filtered consumption of a topic (consume control's `filterEnable`) must
    /// filter it, by allowed items only; TubeMQ's texts, errCode 455.
    @Test func aFilterRestrictedGroupMustFilterByAllowedItems() throws {
        var cluster = try TestCluster(partitions: 2)
        _ = cluster.state.setGroupConsumeFilter(
            group: "gp",
            topic: "tp",
            allowed: ["a_type", "b_type"],
            by: "ops",
            now: 1
        )
        func register(_ filters: Set<String>) -> MasterError? {
            do {
                _ = try cluster.state.registerConsumer(
                    ConsumerRegistration(
                        clientID: "c1",
                        group: "gp",
                        topics: ["tp"],
                        filters: filters.isEmpty ? [:] : ["tp": filters]
                    ),
                    now: 2
                )
                return nil
            } catch {
                return error
            }
        }
        let unfiltered = register([])
        #expect(unfiltered?.code == .consumeContentForbidden)
        #expect(unfiltered?.message == "[Restricted Group] c1 : gp must set the filter conditions of topic tp")
        let other = register(["a_type", "c_type"])
        #expect(other?.message == "[Restricted Group] c1 : unAuthorized filter conditions {tp=[c_type]}")
        #expect(register(["b_type"]) == nil)
        _ = cluster.state.setGroupConsumeFilter(group: "gp", topic: "tp", allowed: [], by: "ops", now: 3)
        #expect(
            register(["b_type"])?.message == "[Restricted Group] c1 : gp not allowed to consume any data of topic tp"
        )
        _ = cluster.state.setGroupConsumeFilter(group: "gp", topic: "tp", allowed: nil, by: "ops", now: 4)
        #expect(register([]) == nil, "the restriction lifted")
        #expect(cluster.state.groupSettings(named: "gp") == nil)
    }

    /// A withdrawn grant (`startConsumeAuthorize`) takes the group's partitions of the topic from members
    /// already running, as consume control does; given again, they come back. Before, only registrations
    /// were checked and running members went on consuming.
    @Test func aWithdrawnGrantTakesTheTopicFromRunningMembers() throws {
        var cluster = try TestCluster(partitions: 2)
        var a = try cluster.settledConsumer("a")
        cluster.state.setUnauthorizedTopics(["gp": ["tp"]])
        _ = cluster.state.balance(now: 10_000)
        #expect(try a.heartbeat(&cluster.state, now: 10_001).event?.type == .onlyDisconnect)
        try a.heartbeat(&cluster.state, now: 10_002)
        #expect(cluster.owners().isEmpty)
        cluster.state.setUnauthorizedTopics(["gp": []])
        _ = cluster.state.balance(now: 15_000)
        #expect(try a.heartbeat(&cluster.state, now: 15_001).event?.type == .onlyConnect)
        try a.heartbeat(&cluster.state, now: 15_002)
        #expect(cluster.owners() == ["1:tp:0": ["a"], "1:tp:1": ["a"]])
    }

    /// `admin_rebalance_group_allocate`: the named member gives up its partitions in the next round,
    /// the others take them, and it gets its share back in the first round after its wait.
    @Test func aMemberAskedToRejoinLeavesTheBalanceAndComesBackAfterItsWait() throws {
        var cluster = try TestCluster(partitions: 4)
        try cluster.register("a", now: 0)
        try cluster.register("b", now: 0)
        var a = SimulatedConsumer("a")
        var b = SimulatedConsumer("b")
        func exchange(at now: Int64) throws {
            for step in Int64(0)..<4 {
                try a.heartbeat(&cluster.state, now: now + 2 * step)
                try b.heartbeat(&cluster.state, now: now + 2 * step + 1)
            }
        }
        _ = cluster.state.balance(now: 5_000)
        try exchange(at: 5_001)
        #expect(a.held.count == 2 && b.held.count == 2)

        try cluster.state.requestRejoin(group: "gp", consumers: ["a"], rejoinWaitMs: 10_000, now: 6_000)
        let release = cluster.state.balance(now: 10_000)
        #expect(release.events.contains { $0.consumerID == "a" && $0.event.type == .onlyDisconnect })
        try exchange(at: 10_001)
        #expect(a.held.isEmpty && b.held.count == 4)
        #expect(cluster.state.balance(now: 15_000).events.isEmpty, "a stays out until its wait is over")
        #expect(cluster.state.group(named: "gp")?.rejoins["a"]?.released == true)

        let back = cluster.state.balance(now: 20_000)
        #expect(back.events.contains { $0.consumerID == "a" && $0.event.type == .onlyConnect })
        try exchange(at: 20_001)
        #expect(a.held.count == 2 && b.held.count == 2)
        #expect(cluster.state.group(named: "gp")?.rejoins.isEmpty == true)
        #expect(cluster.owners().values.allSatisfy { $0.count == 1 }, "no partition is held twice")

        #expect(throws: MasterError(code: .recordNotFound, message: "Not members of group gp: zz")) {
            try cluster.state.requestRejoin(group: "gp", consumers: ["a", "zz"], rejoinWaitMs: 0, now: 21_000)
        }
        #expect(cluster.state.group(named: "gp")?.rejoins.isEmpty == true, "a refused call changes nothing")
        #expect(throws: MasterError(code: .recordNotFound, message: "The group nobody has no consumer online!")) {
            try cluster.state.requestRejoin(group: "nobody", consumers: ["a"], rejoinWaitMs: 0, now: 21_000)
        }
    }

    @Test func consumerTimesOutAfter30SecondsAndGets411() throws {
        var cluster = try TestCluster(partitions: 2)
        try cluster.register("a", group: "g_probe_tmo", now: 0)
        var a = SimulatedConsumer("a", group: "g_probe_tmo")
        _ = cluster.state.balance(now: 3_000)
        try a.heartbeat(&cluster.state, now: 3_009)
        try a.heartbeat(&cluster.state, now: 3_012)
        #expect(cluster.state.expire(now: 33_011).isEmpty)
        #expect(cluster.state.expire(now: 33_012) == [.consumerExpired(clientID: "a", group: "g_probe_tmo")])
        #expect(cluster.state.group(named: "g_probe_tmo") == nil, "the group goes with its last member")
        #expect(throws: MasterError(code: .heartbeatNoNode, message: "Not found groupName g_probe_tmo in holder!")) {
            try a.heartbeat(&cluster.state, now: 53_016)
        }
        #expect(try cluster.register("a", group: "g_probe_tmo", now: 53_017).notAllocated)
    }

    @Test func unknownConsumerOfAKnownGroupGets411() throws {
        var cluster = try TestCluster()
        try cluster.register("a", now: 0)
        #expect(throws: MasterError.self) {
            try cluster.state.consumerHeartbeat(ConsumerHeartbeat(clientID: "zz", group: "gp"), now: 1)
        }
        do {
            _ = try cluster.state.consumerHeartbeat(ConsumerHeartbeat(clientID: "zz", group: "gp"), now: 1)
        } catch {
            #expect(error.code == .heartbeatNoNode)
        }
    }

    @Test func leaverPartitionsGoToTheSurvivorOnALaterRound() throws {
        var cluster = try TestCluster(partitions: 2)
        var a = SimulatedConsumer("a")
        var b = SimulatedConsumer("b")
        try cluster.register("a", now: 0)
        try cluster.register("b", now: 0)
        _ = cluster.state.balance(now: 5_000)
        for t in [5_001, 5_002] as [Int64] {
            try a.heartbeat(&cluster.state, now: t)
            try b.heartbeat(&cluster.state, now: t)
        }
        #expect(a.held.count == 1 && b.held.count == 1 && a.held.isDisjoint(with: b.held))
        let freed = b.held
        let closed = cluster.state.closeConsumer(clientID: "b", group: "gp", now: 6_000)
        #expect(closed)
        #expect(try a.heartbeat(&cluster.state, now: 6_001).event == nil, "nothing before the next round")
        let report = cluster.state.balance(now: 10_000)
        #expect(report.events.map(\.event.type) == [.onlyConnect])
        let event = try #require(try a.heartbeat(&cluster.state, now: 10_001).event)
        #expect(event.type == .onlyConnect && Set(event.partitions.map(\.key)) == freed)
    }

    @Test func reRegistrationReportsHeldPartitions() throws {
        var cluster = try TestCluster(partitions: 2)
        let held = [TestCluster.partition(0), TestCluster.partition(1)]
        _ = try cluster.state.registerConsumer(
            ConsumerRegistration(clientID: "a", group: "gp", topics: ["tp"], held: held),
            now: 0
        )
        _ = try cluster.state.consumerHeartbeat(ConsumerHeartbeat(clientID: "a", group: "gp"), now: 1)
        #expect(cluster.owners() == ["1:tp:0": ["a"], "1:tp:1": ["a"]])
        let events = cluster.state.balance(now: 5_000).events
        #expect(events.map(\.event.type) == [.onlyConnect], "the claim is confirmed (ReRegistrationTests)")
        #expect(cluster.owners() == ["1:tp:0": ["a"], "1:tp:1": ["a"]])
    }

    @Test func consumerMovingToAnotherGroupLeavesTheFirst() throws {
        var cluster = try TestCluster(topics: ["tp", "up"])
        try cluster.register("a", group: "g1", now: 0)
        try cluster.register("a", group: "g2", topics: ["up"], now: 1)
        #expect(cluster.state.group(named: "g1") == nil)
        #expect(cluster.state.consumer(clientID: "a")?.group == "g2")
        #expect(cluster.state.groups(subscribing: "up") == ["g2"])
    }
}

extension RebalanceEvent {
    func with(rebalanceID: Int64) -> RebalanceEvent {
        var copy = self
        copy.rebalanceID = rebalanceID
        return copy
    }
}
