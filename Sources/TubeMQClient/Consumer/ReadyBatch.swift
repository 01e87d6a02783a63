import TubeMQCore

/// A fetched batch waiting for, or in, the application's hands; its decision goes to ``handle``.
struct ReadyBatch: Sendable {
    /// The partition's handle, which takes the decision.
    var handle: PartitionHandle
    /// The batch's sequence number in its partition.
    var sequence: UInt64
    /// The broker offset the batch starts at.
    var offset: Int64
    /// The messages, in partition order.
    var messages: [ConsumedMessage]

    /// Processed: confirm with the next fetch.
    func confirm() { handle.decide(sequence, .confirmed) }

    /// Give back for redelivery.
    func release() { handle.decide(sequence, .released) }
}
