/// One iteration over a consumer: the batch being worked through and the session it came from.
///
/// Owned by a single iterator (so not `Sendable`). When the iterator goes away — the loop ended,
/// threw, or was broken out of — a batch not worked through is released for redelivery and the
/// session is told; the last iteration to end closes the consumer.
@usableFromInline
final class IterationLease {
    let session: ConsumerSession
    /// The session's, raised when it shuts down.
    @usableFromInline let stop: StopFlag
    private(set) var current: ReadyBatch?
    /// The messages of ``current`` (empty when there is none), and how many were handed out.
    @usableFromInline private(set) var buffered: [ConsumedMessage] = []
    @usableFromInline private(set) var index = 0

    /// Whether the consumer had closed when this iteration began.
    private let startedClosed: Bool

    init(session: ConsumerSession) {
        self.session = session
        stop = session.stopFlag
        startedClosed = session.isClosedToIterations
        session.iterationStarted()
    }

    deinit {
        current?.release()
        session.iterationEnded()
    }

    /// The next message of the batch in hand, without suspending; `nil` when it is worked through (or
    /// there is none): then ``nextMessage()`` confirms it and waits for the next batch.
    ///
    /// Inlinable, so that an iterator's `next` takes a buffered message with no call into this module.
    /// Once the consumer shuts down it hands out nothing more: the shutdown gave the batch back, and
    /// every message of it handed out after that came again to the group's next consumer.
    @inlinable
    func nextBufferedMessage() -> ConsumedMessage? {
        guard index < buffered.count, !stop.isRaised else { return nil }
        index &+= 1
        return buffered[index &- 1]
    }

    /// The next message, confirming each batch once all its messages were handed out and asked past.
    ///
    /// Runs on the caller's executor: the only hop is to the session, once per batch.
    @usableFromInline
    nonisolated(nonsending) func nextMessage() async throws -> ConsumedMessage? {
        if let message = nextBufferedMessage() { return message }
        if let batch = current {
            if index >= buffered.count {
                batch.confirm()
                session.budget?.workedThrough(batch.messages.count)
            } else {
                batch.release()  // the consumer shut down part way through: the rest comes again
            }
            take(nil)
        }
        try checkStartedOpen()
        // With a message limit, the sequence ends once the limit was worked through (no more comes).
        if session.budget?.isSpent == true { return nil }
        guard let batch = try await nextBatch() else { return nil }
        take(batch)
        index = 1
        return buffered[0]
    }

    /// The next batch as a whole, confirming the previous one.
    nonisolated(nonsending) func nextWholeBatch() async throws -> [ConsumedMessage]? {
        if let batch = current {
            batch.confirm()
            session.budget?.workedThrough(batch.messages.count)
        }
        take(nil)
        try checkStartedOpen()
        if session.budget?.isSpent == true { return nil }
        guard let batch = try await nextBatch() else { return nil }
        take(batch)
        index = buffered.count
        return buffered
    }

    /// Decides the batch in hand now: confirmed if every message of it was handed out, released for
    /// redelivery otherwise.
    func finishBatch() {
        guard let batch = current else { return }
        if index >= buffered.count { batch.confirm() } else { batch.release() }
        take(nil)
    }

    private func take(_ batch: ReadyBatch?) {
        current = batch
        buffered = batch?.messages ?? []
        index = 0
    }

    /// The next batch, leaving its decision to the caller (pull).
    nonisolated(nonsending) func nextUndecidedBatch() async throws -> ReadyBatch? {
        try await nextBatch()
    }

    /// The next batch; on cancellation the consumer is closed (with the server) and `nil` is returned.
    /// Throws when the consumer had closed before this iteration began: an empty loop would look the
    /// same as "no messages yet".
    private func checkStartedOpen() throws(ClientError) {
        guard startedClosed else { return }
        throw ClientError(
            .shutdown,
            "the consumer is closed: its last loop ended (an iterator that goes away closes the "
                + "consumer, as does shutdown()); make a new consumer to receive again"
        )
    }

    private nonisolated(nonsending) func nextBatch() async throws -> ReadyBatch? {
        let session = self.session
        try checkStartedOpen()
        if Task.isCancelled {
            await Task { await session.shutdown() }.value
            return nil
        }
        do {
            return try await session.nextBatch()
        } catch is CancellationError {
            await Task { await session.shutdown() }.value
            return nil
        }
    }
}
