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
        let target = Balancer.assign(
            partitions: Self.partitions(partitionCount),
            consumers: consumers,
            current: current
        )
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
        let order = Balancer.javaHashOrder(partitions.map(\.key)).filter { current["a"]?.contains($0) == true }
        #expect(target["a"] == Set(order.suffix(2)), "a keeps the last two of its four in balance order")
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

    @Test(arguments: [2, 3, 4])
    func freshAssignmentSpreadsEachTopic(consumerCount: Int) {
        let topics = ["xa", "yb", "zc"]
        let partitions = topics.flatMap { Self.partitions(consumerCount * 2, topic: $0) }
        let consumers = (0..<consumerCount).map { "c\($0)" }
        let target = Balancer.assign(partitions: partitions, consumers: consumers, current: [:])
        for consumer in consumers {
            for topic in topics {
                let mine = target[consumer, default: []].filter { $0.hasPrefix("1:\(topic):") }
                #expect(mine.count == 2, "\(consumer) holds \(mine) of \(topic)")
            }
        }
    }

    /// The order the recorded master listed and gave up partitions in: `1:t_java:1` before
    /// `1:t_java:0` (java-consumer-rebalance), `1:t_go:0` before `1:t_go:1` (go-consumer-rebalance).
    @Test func javaHashOrderMatchesTheRecordedMaster() {
        #expect(Balancer.javaHashOrder(["1:t_java:0", "1:t_java:1"]) == ["1:t_java:1", "1:t_java:0"])
        #expect(Balancer.javaHashOrder(["1:t_filter:0", "1:t_filter:1"]) == ["1:t_filter:1", "1:t_filter:0"])
        #expect(Balancer.javaHashOrder(["1:t_go:1", "1:t_go:0"]) == ["1:t_go:0", "1:t_go:1"])
        #expect(Balancer.javaHashOrder(["1:t_probe:1", "1:t_probe:0"]) == ["1:t_probe:0", "1:t_probe:1"])
        let many = (0..<40).map { "1:tp:\($0)" }
        #expect(Set(Balancer.javaHashOrder(many)) == Set(many))
    }

    @Test func noConsumersNoAssignment() {
        #expect(Balancer.assign(partitions: Self.partitions(3), consumers: [], current: [:]).isEmpty)
    }
}
