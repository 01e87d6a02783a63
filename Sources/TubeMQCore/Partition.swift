/// One partition of a topic on a broker: what a consumer is assigned and reads.
public struct Partition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The broker holding the partition.
    public var broker: BrokerInfo
    /// The topic name.
    public var topic: String
    /// The partition id (`storeIndex * 10000 + index`, see ``PartitionID``).
    public var id: Int32

    /// Creates a partition reference.
    public init(broker: BrokerInfo, topic: String, id: Int32) {
        self.broker = broker
        self.topic = topic
        self.id = id
    }

    /// The key a group uses for this partition: `brokerId:topic:partitionId`.
    public var key: String { "\(broker.id):\(topic):\(id)" }

    public var description: String { "\(broker)#\(topic):\(id)" }
}

/// A consumer's hold on a partition, as rebalance events and heartbeats carry it.
public struct Subscription: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The consumer's client id.
    public var consumerID: String
    /// The consumer group.
    public var group: String
    /// The partition held.
    public var partition: Partition

    /// Creates a subscription.
    public init(consumerID: String, group: String, partition: Partition) {
        self.consumerID = consumerID
        self.group = group
        self.partition = partition
    }

    public var description: String { "\(consumerID)@\(group)#\(partition)" }
}
