/// A message as a ``BidConsumer`` delivers it: the consumed message and the cluster it came from.
///
/// Every property of ``ConsumedMessage`` reads through (`message.body`, `message.partition`,
/// `message.offset`); offsets and partition keys are those of ``cluster``.
@dynamicMemberLookup
public struct BidMessage: Sendable, Hashable {
    /// The cluster the message was read from (and where its batch is confirmed).
    public var cluster: BidCluster
    /// The message as that cluster's consumer received it.
    public var consumed: ConsumedMessage

    /// Creates a message.
    public init(cluster: BidCluster, consumed: ConsumedMessage) {
        self.cluster = cluster
        self.consumed = consumed
    }

    /// Reads a property of ``consumed``.
    public subscript<Value>(dynamicMember keyPath: KeyPath<ConsumedMessage, Value>) -> Value {
        consumed[keyPath: keyPath]
    }
}
