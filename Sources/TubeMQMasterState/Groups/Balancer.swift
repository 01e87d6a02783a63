public import TubeMQCore

/// The partition assignment algorithms: pure functions from what is available and what each
/// consumer holds to what each consumer should hold.
public enum Balancer {
    /// The target assignment of a normal group: every partition to exactly one consumer, spread
    /// evenly (counts differ by at most one), moving as few partitions as possible.
    ///
    /// 1. Each consumer keeps the available partitions it holds; a partition held by several keeps
    ///    its first holder in consumer order.
    /// 2. Quotas: `P / N` each, and one more for the `P % N` consumers holding the most (ties by id).
    /// 3. A consumer above its quota gives up its first partitions in the balance order below.
    /// 4. Free partitions, in balance order, go one by one to the consumer below quota holding the
    ///    fewest of that partition's topic, then the fewest overall (ties by id), so each topic
    ///    spreads too.
    ///
    /// The balance order is the iteration order of a Java `HashMap` keyed by the partition keys
    /// (``javaHashOrder(_:)``): the recorded master gave up partition 0 of `t_go` and `t_probe` but
    /// partition 1 of `t_java`, which is exactly that order.
    /// - Parameters:
    ///   - partitions: the partitions the group may be assigned.
    ///   - consumers: the members' client ids.
    ///   - current: what each consumer holds, by partition key.
    /// - Returns: the partition keys each consumer should hold; every consumer has an entry.
    public static func assign(
        partitions: [Partition],
        consumers: [String],
        current: [String: Set<String>]
    ) -> [String: Set<String>] {
        let consumers = consumers.sorted()
        guard !consumers.isEmpty else { return [:] }
        let ordered = javaHashOrder(partitions.map(\.key))
        let rank = Dictionary(ordered.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var taken: Set<String> = []
        var kept: [String: [String]] = [:]
        for consumer in consumers {
            let mine = (current[consumer] ?? []).filter { rank[$0] != nil && !taken.contains($0) }
            kept[consumer] = mine.sorted { rank[$0, default: 0] < rank[$1, default: 0] }
            taken.formUnion(mine)
        }
        let base = ordered.count / consumers.count
        let extra = ordered.count % consumers.count
        let byLoad = consumers.sorted {
            let (lhs, rhs) = (kept[$0, default: []].count, kept[$1, default: []].count)
            return lhs != rhs ? lhs > rhs : $0 < $1
        }
        var quota: [String: Int] = [:]
        for (index, consumer) in byLoad.enumerated() { quota[consumer] = base + (index < extra ? 1 : 0) }
        taken = []
        for consumer in consumers {
            let limit = quota[consumer, default: 0]
            if kept[consumer, default: []].count > limit {
                kept[consumer] = Array(kept[consumer, default: []].suffix(limit))
            }
            taken.formUnion(kept[consumer, default: []])
        }
        let topicOf = Dictionary(partitions.map { ($0.key, $0.topic) }, uniquingKeysWith: { first, _ in first })
        var perTopic: [String: [String: Int]] = [:]
        for (consumer, keys) in kept {
            for key in keys { perTopic[consumer, default: [:]][topicOf[key, default: ""], default: 0] += 1 }
        }
        for key in ordered where !taken.contains(key) {
            let topic = topicOf[key, default: ""]
            let load = { (consumer: String) in
                (perTopic[consumer]?[topic] ?? 0, kept[consumer, default: []].count)
            }
            let candidate =
                consumers
                .filter { kept[$0, default: []].count < quota[$0, default: 0] }
                .min { load($0) < load($1) }
            guard let candidate else { break }
            kept[candidate, default: []].append(key)
            perTopic[candidate, default: [:]][topic, default: 0] += 1
        }
        return kept.mapValues { Set($0) }
    }

    /// The target assignment of a bound group: each consumer gets the available partitions it asked
    /// for; a partition asked for by several goes to the one with the larger offset when
    /// `selectBig`, else the smaller (ties by id). Partitions nobody asked for stay unassigned.
    /// - Returns: the partition keys per consumer (every consumer has an entry) and the winning
    ///   offset per assigned partition key.
    public static func assignBound(
        partitions: [Partition],
        requests: [String: [String: Int64]],
        selectBig: Bool
    ) -> (target: [String: Set<String>], offsets: [String: Int64]) {
        let available = Set(partitions.map(\.key))
        var winners: [String: (consumer: String, offset: Int64)] = [:]
        for consumer in requests.keys.sorted() {
            for (key, offset) in requests[consumer, default: [:]] where available.contains(key) {
                if let current = winners[key] {
                    let better = selectBig ? offset > current.offset : offset < current.offset
                    if !better { continue }
                }
                winners[key] = (consumer, offset)
            }
        }
        var target: [String: Set<String>] = Dictionary(uniqueKeysWithValues: requests.keys.map { ($0, []) })
        var offsets: [String: Int64] = [:]
        for (key, winner) in winners {
            target[winner.consumer, default: []].insert(key)
            offsets[key] = winner.offset
        }
        return (target, offsets)
    }

    /// `keys` in the order a Java `HashMap<String, _>` holding exactly them iterates: by bucket
    /// `(h ^ (h >>> 16)) & (capacity - 1)` of Java's `String.hashCode` `h`, the capacity being the
    /// table size after inserting them all (16, doubled while the count exceeds three quarters of it);
    /// keys sharing a bucket by key (Java keeps insertion order there).
    public static func javaHashOrder(_ keys: [String]) -> [String] {
        var capacity = 16
        while keys.count * 4 > capacity * 3 { capacity *= 2 }
        let mask = UInt32(capacity - 1)
        let bucket = { (key: String) -> UInt32 in
            let hash = UInt32(bitPattern: key.javaHashCode)
            return (hash ^ (hash >> 16)) & mask
        }
        return keys.map { (bucket($0), $0) }.sorted { $0 < $1 }.map(\.1)
    }
}
