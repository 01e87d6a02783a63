public import TubeMQCore
import TubeMQRPC
import TubeMQWire

/// The messages of one fetch from one partition, handed out by a ``PullConsumer``.
///
/// Until it is confirmed, the partition delivers nothing else; a batch that is released, or left
/// unconfirmed for ``Consumer/Configuration/confirmTimeout``, is delivered again.
public struct MessageBatch: Sendable {
    /// The partition the batch was read from.
    public let partition: Partition
    /// The broker offset the batch starts at.
    public let offset: Int64
    /// The messages, in partition order.
    public let messages: [ConsumedMessage]

    let ready: ReadyBatch
    let session: ConsumerSession

    init(ready: ReadyBatch, session: ConsumerSession) {
        self.partition = ready.handle.partition
        self.offset = ready.offset
        self.messages = ready.messages
        self.ready = ready
        self.session = session
    }

    /// Confirms the batch with a commit to the broker (method 18), as the official pull consumers do.
    ///
    /// - Returns: the partition's committed offset after the commit: where the group resumes.
    /// - Throws: ``ClientError`` `batchExpired` when the batch was released, timed out or its partition was
    ///   taken away, or its broker no longer had the fetch it came from (a broker restart): nothing was
    ///   committed, and it will be, or was, delivered again; `rejected`, `brokerUnavailable`, `timeout`.
    @discardableResult
    public func confirm() async throws(ClientError) -> Int64 {
        guard ready.handle.isOpen(ready.sequence) else {
            throw ClientError(
                .batchExpired,
                "the batch from \(partition) was already decided (confirmed or released), timed out, or its "
                    + "partition was taken away"
            )
        }
        var request = CommitOffsetRequestC2B()
        request.clientID = session.clientID
        request.topicName = partition.topic
        request.partitionID = partition.id
        request.groupName = session.configuration.group
        request.lastPackConsumed = true
        let reply: CommitOffsetResponseB2C
        do {
            reply = try await session.rpc.call(
                .commitOffset,
                request,
                host: partition.broker.host,
                port: partition.broker.port
            )
        } catch {
            throw ClientError.broker("commit on \(partition) failed", error)
        }
        guard reply.success else {
            if reply.errCode == ErrorCode.unauthorized.rawValue {
                ready.release()
                throw ClientError(
                    .batchExpired,
                    "\(partition) is no longer registered: \(reply.errMsg)",
                    serverCode: reply.errCode
                )
            }
            throw .rejected("commit on \(partition) refused", code: reply.errCode, text: reply.errMsg)
        }
        // The broker commits what its registration of the partition last fetched: after it restarted
        // (or the partition was registered again) that is not this batch, and the offset stays at the
        // batch's start. Nothing of the batch was committed, so it comes again: say so.
        guard reply.currOffset > ready.offset else {
            ready.release()
            throw ClientError(
                .batchExpired,
                "the broker of \(partition) no longer had the fetch this batch came from (it restarted, or the "
                    + "partition was registered again): nothing was committed, and the batch comes again"
            )
        }
        ready.handle.decide(ready.sequence, .committed)
        return reply.currOffset
    }

    /// Gives the batch back: the same messages are delivered again.
    public func release() {
        ready.release()
    }
}
