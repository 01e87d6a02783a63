import Testing
import TubeMQCore
import TubeMQMasterState

/// A consumer coming back to a restarted or new active master, reporting the partitions it held
/// before: it must be answered by the next round, not a balance period or a periodic report later.
@Suite struct ReRegistrationTests {
    /// Balance 5 s after the start, then every 60 s (the code default period).
    static let timings: MasterTimings = {
        var timings = TestCluster.timings
        timings.firstBalanceDelayMs = 5_000
        timings.balancePeriodMs = 60_000
        return timings
    }()

    @Test func staleClaimIsConnectedAgainAtTheFirstHeartbeat() throws {
        var cluster = try TestCluster(partitions: 2, configuration: Self.timings)
        let all = [TestCluster.partition(0), TestCluster.partition(1)]
        #expect(cluster.state.tick(now: 5_000).balance != nil, "the first round, before the consumer is back")
        // The consumer held both partitions before the restart; the restarted broker forgot its
        // registrations, so it drops them as soon as it fetches, and reports only every ~6 heartbeats.
        var consumer = SimulatedConsumer("a", holding: all)
        _ = try cluster.state.registerConsumer(
            ConsumerRegistration(clientID: "a", group: "gp", topics: ["tp"], held: all),
            now: 20_000
        )
        consumer.drop(Set(all.map(\.key)))
        #expect(cluster.state.nextDeadline == 20_000, "the claim brings the next round forward")
        let round = try #require(cluster.state.tick(now: 20_000).balance)
        #expect(round.events.map(\.event.type) == [.onlyConnect])
        #expect(round.events.first?.consumerID == "a")
        #expect(Set(round.events.first?.event.partitions.map(\.key) ?? []) == Set(all.map(\.key)))
        // First heartbeat 5 s after registering, as the C++ and Go clients send it.
        let event = try #require(try consumer.heartbeat(&cluster.state, now: 25_000).event)
        #expect(event.type == .onlyConnect && Set(event.partitions.map(\.key)) == Set(all.map(\.key)))
        #expect(consumer.held == Set(all.map(\.key)))
        try consumer.heartbeat(&cluster.state, now: 30_000)
        #expect(cluster.owners() == ["1:tp:0": ["a"], "1:tp:1": ["a"]])
        #expect(cluster.state.nextBalanceAt == 80_000, "the next round a period after the early one")
    }

    @Test func claimWaitsForTheFirstBalanceDelayOfARestartedMaster() throws {
        var cluster = try TestCluster(partitions: 2, configuration: Self.timings)
        let all = [TestCluster.partition(0), TestCluster.partition(1)]
        _ = try cluster.state.registerConsumer(
            ConsumerRegistration(clientID: "a", group: "gp", topics: ["tp"], held: all),
            now: 1_000
        )
        #expect(cluster.state.nextDeadline == 5_000)
        #expect(cluster.state.tick(now: 4_999).balance == nil)
        let round = try #require(cluster.state.tick(now: 5_000).balance)
        #expect(round.events.map(\.event.type) == [.onlyConnect], "answered before the first heartbeat")
    }

    @Test func conflictingClaimsNeverShareAPartition() throws {
        var cluster = try TestCluster(partitions: 2, configuration: Self.timings)
        _ = cluster.state.tick(now: 5_000)
        let p0 = TestCluster.partition(0)
        let p1 = TestCluster.partition(1)
        // After a failover "a" really holds p0; "b" claims p0 and p1 from an older session.
        var a = SimulatedConsumer("a", holding: [p0])
        var b = SimulatedConsumer("b", holding: [p0, p1])
        _ = try cluster.state.registerConsumer(
            ConsumerRegistration(clientID: "a", group: "gp", topics: ["tp"], held: [p0]),
            now: 10_000
        )
        _ = try cluster.state.registerConsumer(
            ConsumerRegistration(clientID: "b", group: "gp", topics: ["tp"], held: [p0, p1]),
            now: 10_000
        )
        let round = try #require(cluster.state.tick(now: 10_000).balance)
        let planned = round.events.map { "\($0.consumerID) \($0.event.type) \($0.event.partitions.map(\.key))" }
        #expect(
            planned == ["b ONLY_DISCONNECT [\"1:tp:0\"]", "a ONLY_CONNECT [\"1:tp:0\"]", "b ONLY_CONNECT [\"1:tp:1\"]"]
        )
        #expect(round.events.map(\.waitsForDisconnects) == [false, true, false])
        var now: Int64 = 15_000
        while now < 40_000 {
            try a.heartbeat(&cluster.state, now: now)
            try b.heartbeat(&cluster.state, now: now)
            #expect(disjoint([a, b]))
            now += 1_000
        }
        #expect(a.held == [p0.key] && b.held == [p1.key])
        #expect(cluster.owners() == ["1:tp:0": ["a"], "1:tp:1": ["b"]])
    }

    /// A claim on a topic the consumer does not subscribe is not its: it is not kept (a 1 MB topic
    /// name in `subscribeInfo` stayed with the member) and brings no round forward.
    @Test func claimsOnTopicsNotSubscribedAreDropped() throws {
        var cluster = try TestCluster(partitions: 2, configuration: Self.timings)
        _ = cluster.state.tick(now: 5_000)
        var foreign = TestCluster.partition(0)
        foreign.topic = String(repeating: "x", count: 100_000)
        // Partitions the metadata does not define: beyond the deployment's partitions, another store,
        // a broker without the topic.
        var beyond = TestCluster.partition(0)
        beyond.id = 2
        var otherStore = TestCluster.partition(0)
        otherStore.id = 10_000
        var otherBroker = TestCluster.partition(0)
        otherBroker.broker.id = 7
        _ = try cluster.state.registerConsumer(
            ConsumerRegistration(
                clientID: "a",
                group: "gp",
                topics: ["tp"],
                held: [foreign, beyond, otherStore, otherBroker]
            ),
            now: 20_000
        )
        #expect(cluster.state.group(named: "gp")?.members["a"]?.held.isEmpty == true)
        #expect(cluster.state.nextBalanceAt == 65_000, "no claim to answer early")
    }

    /// A claim on a real partition is kept as the master's own record of it, whatever host the claim
    /// carried.
    @Test func aClaimIsKeptAsTheMastersRecord() throws {
        var cluster = try TestCluster(partitions: 2, configuration: Self.timings)
        _ = cluster.state.tick(now: 5_000)
        var claimed = TestCluster.partition(1)
        claimed.broker.host = String(repeating: "h", count: 10_000)
        _ = try cluster.state.registerConsumer(
            ConsumerRegistration(clientID: "a", group: "gp", topics: ["tp"], held: [claimed]),
            now: 20_000
        )
        let held = try #require(cluster.state.group(named: "gp")?.members["a"]?.held)
        #expect(held.values.map(\.broker.host) == [TestCluster.partition(1).broker.host])
    }

    @Test func registrationWithoutClaimsKeepsTheBalancePeriod() throws {
        var cluster = try TestCluster(partitions: 2, configuration: Self.timings)
        _ = cluster.state.tick(now: 5_000)
        try cluster.register("a", now: 20_000)
        #expect(cluster.state.nextDeadline == 50_000, "the heartbeat expiry comes before the round at 65 s")
        #expect(cluster.state.nextBalanceAt == 65_000)
    }
}
