public import TubeMQCore

/// Where a sent message landed.
public struct SendResult: Sendable, Hashable {
    /// The id the broker gave the message (opaque; not monotonic).
    public var messageID: Int64
    /// The partition the message was appended to.
    public var partition: Partition
    /// The broker offset the message was appended at, or −1 when the broker did not say.
    public var offset: Int64
    /// When the broker appended it, in milliseconds since the epoch, or −1 when the broker did not say.
    public var appendTime: Int64

    /// Creates a result.
    public init(messageID: Int64, partition: Partition, offset: Int64, appendTime: Int64) {
        self.messageID = messageID
        self.partition = partition
        self.offset = offset
        self.appendTime = appendTime
    }
}
