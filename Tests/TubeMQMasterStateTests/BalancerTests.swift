import Testing
import TubeMQCore
import TubeMQMasterState

@Suite struct BalancerTests {
    static func partitions(_ count: Int, topic: String = "tp") -> [Partition] {
        (0..<count).map { TestCluster.partition(Int32($0), topic: topic) }
    }

    @Test(arguments: [0, 1, 2, 5, 6, 7, 13], [1, 2, 3, 4, 8])
    func everyPartitionHasOneOwnerAndSharesDifferByAtMostOne(partitionCount: Int, consumerCount: Int) {
        let consumers = (0..<consumerCount).map { "c\($0)" }
        var rng = SplitMix(seed: UInt64(partitionCount * 31 + consumerCount))
        var current: [String: Set<String>] = [:]
        for partition in Self.partitions(partitionCount) where rng.next() % 2 == 0 {
            let holder = consumers[Int(rng.next() % UInt64(consumerCount))]
            current[holder, default: []].insert(partition.key)
            if rng.next() % 4 == 0 { current[consumers[0], default: []].insert(partition.key) }  // duplicate report
        }
        current["gone", default: []].insert("1:tp:99")  // stale key of no available partition
        let target = Balancer.assign(partitions: Self.partitions(partitionCount), consumers: consumers, current: current)
        #expect(Set(target.keys) == Set(consumers))
        let assigned = target.values.flatMap { $0 }
        #expect(assigned.count == partitionCount)
        #expect(Set(assigned) == Set(Self.partitions(partitionCount).map(\.key)))
        let counts = target.values.map(\.count)
        #expect((counts.max() ?? 0) - (counts.min() ?? 0) <= 1)
    }

    @Test func holdersKeepWhatFitsTheirQuota() {
        let partitions = Self.partitions(6)
        let current: [String: Set<String>] = ["a": ["1:tp:0", "1:tp:1", "1:tp:2", "1:tp:3"], "b": ["1:tp:4"]]
        let target = Balancer.assign(partitions: partitions, consumers: ["a", "b", "c"], current: current)
        #expect(target["a"] == ["1:tp:2", "1:tp:3"], "a keeps its two highest")
        #expect(target["b"]?.contains("1:tp:4") == true)
        #expect(target.values.map(\.count).sorted() == [2, 2, 2])
    }

    @Test func extraSlotsGoToTheBiggestHolders() {
        let partitions = Self.partitions(5)
        let current: [String: Set<String>] = ["b": ["1:tp:0", "1:tp:1", "1:tp:2"], "a": ["1:tp:3"]]
        let target = Balancer.assign(partitions: partitions, consumers: ["a", "b"], current: current)
        #expect(target["b"] == ["1:tp:0", "1:tp:1", "1:tp:2"], "b keeps all three: nothing moves")
        #expect(target["a"] == ["1:tp:3", "1:tp:4"])
    }

    @Test func freshAssignmentInterleavesTopics() {
        let partitions = Self.partitions(2, topic: "x") + Self.partitions(2, topic: "y")
        let target = Balancer.assign(partitions: partitions, consumers: ["a", "b"], current: [:])
        #expect(target["a"] == ["1:x:0", "1:y:1"])
        #expect(target["b"] == ["1:x:1", "1:y:0"], "each consumer gets one partition of each topic")
    }

    @Test func noConsumersNoAssignment() {
        #expect(Balancer.assign(partitions: Self.partitions(3), consumers: [], current: [:]).isEmpty)
    }
}
