public import Logging
public import TubeMQCore

/// Consumes a group's share of topics batch by batch, confirming each batch explicitly.
///
/// Group membership and fetching work as in ``PushConsumer``; the difference is the decision:
/// each ``MessageBatch`` must be ``MessageBatch/confirm()``ed (which commits it at the broker) or
/// ``MessageBatch/release()``d, and one left alone for ``Consumer/Configuration/confirmTimeout`` is
/// delivered again. Other partitions keep delivering meanwhile.
///
/// Iterate once: when the loop ends, the consumer leaves its group, as ``shutdown()`` does (in the
/// background after `break` or a throw; ``shutdown()`` waits for it).
///
/// ```swift
/// let consumer = try await PullConsumer(configuration: .init(masters: masters, group: "g", topics: ["demo"]))
/// for try await batch in consumer {
///     for message in batch.messages { handle(message) }
///     try await batch.confirm()
/// }
/// ```
public final class PullConsumer: AsyncSequence, Sendable {
    /// Each element is one batch.
    public typealias Element = MessageBatch

    let session: ConsumerSession

    /// Joins the group: registers with the master and starts heartbeats.
    ///
    /// - Throws: ``ClientError`` `invalidArgument`, `masterUnavailable`, or `rejected`.
    public init(
        configuration: Consumer.Configuration,
        logger: Logger = Logger(label: "tubemq.consumer")
    ) async throws(ClientError) {
        session = ConsumerSession(configuration: configuration, kind: .pull, logger: logger)
        try await session.start()
    }

    /// The consumer's settings.
    public var configuration: Consumer.Configuration { session.configuration }
    /// The client id the consumer registered under.
    public var clientID: String { session.clientID }

    /// An executor that runs jobs on the event loop carrying every connection of this consumer (its
    /// fetch loops run there); see ``PushConsumer/executor``.
    public var executor: any TaskExecutor { session.executor }

    /// The partitions the consumer holds now.
    public func assignedPartitions() async -> [Partition] { await session.heldPartitions }

    /// Leaves the group: unregisters every partition (unconfirmed batches are delivered again later, to
    /// this group), closes at the master and the connections. Iterations then end. Idempotent.
    public func shutdown() async { await session.shutdown() }

    /// Starts the iteration.
    public func makeAsyncIterator() -> Iterator { Iterator(lease: IterationLease(session: session)) }

    /// Delivers batches; see ``PullConsumer``.
    public struct Iterator: AsyncIteratorProtocol {
        let lease: IterationLease

        /// The next batch, waiting for one; `nil` after ``PullConsumer/shutdown()`` or cancellation.
        ///
        /// - Throws: ``ClientError`` when the consumer failed for good (the master refused it).
        public mutating func next() async throws -> MessageBatch? {
            guard let ready = try await lease.nextUndecidedBatch() else { return nil }
            return MessageBatch(ready: ready, session: lease.session)
        }

        /// The next batch, as ``next()``, staying on the caller's executor (`for try await` calls this).
        ///
        /// - Throws: ``ClientError`` when the consumer failed for good (the master refused it).
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> MessageBatch? {
            guard let ready = try await lease.nextUndecidedBatch() else { return nil }
            return MessageBatch(ready: ready, session: lease.session)
        }
    }
}
