import Testing
import TubeMQCore
import TubeMQMasterState

@Suite struct TickTests {
    @Test func nextDeadlineIsTheEarliestBalanceOrExpiry() throws {
        var cluster = try TestCluster()  // balance at 5 s; consumer 30 s, producer 45 s
        #expect(cluster.state.nextDeadline == 5_000)
        _ = cluster.state.tick(now: 5_000)
        #expect(cluster.state.nextDeadline == 10_000)
        try cluster.register("a", now: 1_000)
        _ = cluster.state.registerProducer(ProducerRegistration(clientID: "p", hostName: "h"), now: 1_000)
        for round in 2...6 { _ = cluster.state.tick(now: Int64(round) * 5_000) }
        #expect(cluster.state.nextDeadline == 31_000, "the consumer expires before the next round")
        let result = cluster.state.tick(now: 31_000)
        #expect(result.directives == [.consumerExpired(clientID: "a", group: "gp")])
        #expect(result.balance == nil)
        #expect(cluster.state.nextDeadline == 35_000)
        for round in 7...9 { _ = cluster.state.tick(now: Int64(round) * 5_000) }
        #expect(cluster.state.nextDeadline == 46_000)
        #expect(cluster.state.tick(now: 46_000).directives == [.producerExpired(clientID: "p")])
    }

    @Test func tickRunsOneRoundPerCallAndKeepsThePeriod() throws {
        var cluster = try TestCluster()
        let first = try #require(cluster.state.tick(now: 5_000).balance)
        #expect(cluster.state.tick(now: 9_999).balance == nil)
        let second = try #require(cluster.state.tick(now: 10_000).balance)
        #expect(second.rebalanceID == first.rebalanceID + 1)
        #expect(cluster.state.lastRebalanceID == second.rebalanceID)
    }
}

@Suite struct HoldingsTests {
    @Test func aPartitionReportedByTwoConsumersStaysWithOne() throws {
        var cluster = try TestCluster(partitions: 2)
        try cluster.register("a", now: 0)
        try cluster.register("b", now: 0)
        let both = [TestCluster.partition(0), TestCluster.partition(1)]
        _ = try cluster.state.consumerHeartbeat(ConsumerHeartbeat(clientID: "a", group: "gp", report: both), now: 1)
        _ = try cluster.state.consumerHeartbeat(ConsumerHeartbeat(clientID: "b", group: "gp", report: both), now: 1)
        let report = cluster.state.balance(now: 5_000)
        #expect(report.events.map(\.event.type) == [.onlyDisconnect, .onlyDisconnect])
        let released = report.events.flatMap { $0.event.partitions.map(\.key) }
        #expect(Set(released) == ["1:tp:0", "1:tp:1"], "each gives up the one the other keeps")
        #expect(!report.events.contains { $0.event.type == .onlyConnect }, "nothing to connect: all are held")
    }

    @Test func failedAckClearsTheEventButDoesNotAllocate() throws {
        var cluster = try TestCluster(partitions: 2)
        try cluster.register("a", now: 0)
        _ = cluster.state.balance(now: 5_000)
        let event = try #require(
            try cluster.state.consumerHeartbeat(ConsumerHeartbeat(clientID: "a", group: "gp"), now: 5_001).event
        )
        let reply = try cluster.state.consumerHeartbeat(
            ConsumerHeartbeat(clientID: "a", group: "gp", report: [], ack: event.acknowledged(.failed)),
            now: 6_000
        )
        #expect(reply.notAllocated)
        #expect(cluster.state.group(named: "gp")?.hasPendingEvents == false)
        #expect(cluster.state.balance(now: 10_000).events.map(\.event.type) == [.onlyConnect], "tried again")
    }

    @Test func partitionsOfAnUnsubscribableTopicAreDisconnected() throws {
        var cluster = try TestCluster(partitions: 2)
        _ = try cluster.settledConsumer("a")
        _ = try cluster.state.updateTopicDeployment(
            topic: "tp",
            brokerID: 1,
            settings: TopicSettingsPatch(acceptSubscribe: false),
            by: "ops",
            now: 6_000
        )
        let event = try #require(cluster.state.balance(now: 10_000).events.first?.event)
        #expect(event.type == .onlyDisconnect && event.partitions.count == 2)
    }
}
