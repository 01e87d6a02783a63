/// Where a ``BidProducer`` stored a message: the cluster, and the message's place there.
///
/// Every property of ``SendResult`` reads through (`result.partition`, `result.offset`).
@dynamicMemberLookup
public struct BidSendResult: Sendable, Hashable {
    /// The cluster that stored the message.
    public var cluster: BidCluster
    /// Where that cluster stored it.
    public var sent: SendResult

    /// Creates a result.
    public init(cluster: BidCluster, sent: SendResult) {
        self.cluster = cluster
        self.sent = sent
    }

    /// Reads a property of ``sent``.
    public subscript<Value>(dynamicMember keyPath: KeyPath<SendResult, Value>) -> Value {
        sent[keyPath: keyPath]
    }
}
