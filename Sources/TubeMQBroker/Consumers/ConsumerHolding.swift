/// A consumer's hold on one partition of this broker, as the webapi's consumer queries report it.
public struct ConsumerHolding: Sendable, Hashable {
    /// The consumer group.
    public var group: String
    /// The topic.
    public var topic: String
    /// The partition id.
    public var partitionID: Int32
    /// The consumer holding the partition.
    public var consumerID: String
    /// Whether the consumer registered filter items for the partition (TubeMQ's `isFilterConsume`).
    public var filtersMessages: Bool
    /// When the consumer was last heard from for the partition (register, get, commit or heartbeat),
    /// in ms since the epoch.
    public var lastSeen: Int64
}
