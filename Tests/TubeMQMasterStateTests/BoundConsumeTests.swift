import Testing
import TubeMQCore
import TubeMQMasterState

@Suite struct BoundConsumeTests {
    func register(_ id: String, _ offsets: [String: Int64], _ cluster: inout TestCluster, selectBig: Bool = true) throws
    {
        _ = try cluster.state.registerConsumer(
            ConsumerRegistration(
                clientID: id,
                group: "gp",
                topics: ["tp"],
                bound: BoundConsumeRequest(
                    sessionKey: "session-1",
                    sessionTime: 1_000,
                    totalCount: 2,
                    requiredOffsets: offsets,
                    selectBig: selectBig
                )
            ),
            now: 0
        )
        _ = try cluster.state.consumerHeartbeat(ConsumerHeartbeat(clientID: id, group: "gp"), now: 0)
    }

    @Test func groupIsAssignedExactlyTheRequestedPartitionsOnceComplete() throws {
        var cluster = try TestCluster(partitions: 4)
        try register("a", ["1:tp:0": 100, "1:tp:1": 200], &cluster)
        #expect(cluster.state.balance(now: 5_000).skippedGroups == ["gp"], "waits for totalCount consumers")
        try register("b", ["1:tp:3": 300, "1:tp:nosuch": 5], &cluster)
        let report = cluster.state.balance(now: 10_000)
        #expect(report.skippedGroups.isEmpty)
        var a = SimulatedConsumer("a")
        var b = SimulatedConsumer("b")
        let toA = try #require(try a.heartbeat(&cluster.state, now: 10_001).event)
        let toB = try #require(try b.heartbeat(&cluster.state, now: 10_002).event)
        #expect(toA.type == .onlyConnect && Set(toA.partitions.map(\.key)) == ["1:tp:0", "1:tp:1"])
        #expect(toB.type == .onlyConnect && toB.partitions.map(\.key) == ["1:tp:3"])
        #expect(cluster.state.group(named: "gp")?.boundOffsets == ["1:tp:0": 100, "1:tp:1": 200, "1:tp:3": 300])
        #expect(cluster.state.boundOffset(group: "gp", partitionKey: "1:tp:3") == 300)
        #expect(cluster.state.boundOffset(group: "gp", partitionKey: "1:tp:2") == nil, "unrequested stays unassigned")
        try a.heartbeat(&cluster.state, now: 11_001)
        try b.heartbeat(&cluster.state, now: 11_002)
        #expect(cluster.state.balance(now: 15_000).events.isEmpty)
        #expect(cluster.owners().keys.sorted() == ["1:tp:0", "1:tp:1", "1:tp:3"])
    }

    @Test(arguments: [true, false])
    func conflictingRequestsFollowSelectBig(selectBig: Bool) throws {
        var cluster = try TestCluster(partitions: 2)
        try register("a", ["1:tp:0": 100], &cluster, selectBig: selectBig)
        try register("b", ["1:tp:0": 500, "1:tp:1": 7], &cluster, selectBig: selectBig)
        let report = cluster.state.balance(now: 5_000)
        let owner = report.events.first { $0.event.partitions.contains { $0.key == "1:tp:0" } }?.consumerID
        #expect(owner == (selectBig ? "b" : "a"))
        #expect(cluster.state.boundOffset(group: "gp", partitionKey: "1:tp:0") == (selectBig ? 500 : 100))
    }

    @Test func balancerAssignsBoundRequestsDirectly() {
        let partitions = (0..<3).map { TestCluster.partition(Int32($0)) }
        let result = Balancer.assignBound(
            partitions: partitions,
            requests: ["x": ["1:tp:0": 1, "1:tp:2": 9], "y": ["1:tp:2": 9], "z": [:]],
            selectBig: true
        )
        #expect(result.target == ["x": ["1:tp:0", "1:tp:2"], "y": [], "z": []], "a tie goes to the first id")
        #expect(result.offsets == ["1:tp:0": 1, "1:tp:2": 9])
    }
}
