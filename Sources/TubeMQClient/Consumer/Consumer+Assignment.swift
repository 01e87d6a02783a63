extension Consumer {
    /// Who decides which partitions a consumer reads.
    public enum Assignment: Sendable, Hashable {
        /// The master balances the group's partitions over its members (methods 4–6; the default).
        case server
        /// The consumer picks its partitions itself from where the master says the group's topics
        /// live (methods 20–22, as the Java `SimpleClientBalanceConsumer`); the master only tracks
        /// the members. Every member of the group must use client assignment.
        case client(ClientPartitions)
    }

    /// The partitions a client-assigned consumer reads.
    public enum ClientPartitions: Sendable, Hashable {
        /// Exactly these partitions, by key (`brokerId:topic:partitionId`, as
        /// ``ConsumedMessage/partitionKey``), as far as they exist and may be consumed now.
        case keys(Set<String>)
        /// Node `node` of `nodes`: every `nodes`-th partition of the group's topics sorted by key,
        /// starting at index `node`; the master checks `0 <= node < nodes` (`sourceCount`, `nodeId`).
        case share(node: Int, nodes: Int)

        /// Whether the partition at `index` of the sorted partitions, with `key`, is chosen.
        func chooses(key: String, index: Int) -> Bool {
            switch self {
            case .keys(let keys): return keys.contains(key)
            case .share(let node, let nodes): return nodes > 0 && index % nodes == node
            }
        }

        /// The `sourceCount` and `nodeId` sent to the master.
        var node: (sourceCount: Int32, nodeID: Int32) {
            switch self {
            case .keys: return (0, 0)
            case .share(let node, let nodes): return (Int32(clamping: nodes), Int32(clamping: node))
            }
        }
    }
}
