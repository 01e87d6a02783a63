public import Logging
public import TubeMQCore

/// Consumes a group's share of topics, one message at a time, with `for try await`.
///
/// The consumer joins its group at the master, receives partitions as the group is balanced, and
/// fetches from their brokers. Each message is delivered once the previous one's loop body returned;
/// a batch is confirmed to the broker when the loop asks past its last message, so a crash or a
/// `break` in the middle of a batch gets the rest of it (and the part already seen) delivered again —
/// at least once. Messages of one partition arrive in order.
///
/// Iterate once: when the loop ends (it is cancelled, throws, or is broken out of), the consumer
/// leaves its group — it unregisters its partitions and closes at the master — as ``shutdown()`` does.
/// A cancelled loop returns once that is done; after `break` or a throw it runs in the background, and
/// ``shutdown()`` waits for it.
///
/// ```swift
/// let consumer = try await PushConsumer(configuration: .init(masters: masters, group: "g", topics: ["demo"]))
/// for try await message in consumer {
///     print(message.partition, String(decoding: message.body, as: UTF8.self))
/// }
/// ```
public final class PushConsumer: AsyncSequence, Sendable {
    /// Each element is one message.
    public typealias Element = ConsumedMessage

    let session: ConsumerSession

    /// Joins the group: registers with the master and starts heartbeats; partitions follow from the
    /// master's rebalance events.
    ///
    /// - Throws: ``ClientError`` `invalidArgument`, `masterUnavailable`, or `rejected` (unknown topic,
    ///   forbidden group, settings inconsistent with the group's other consumers).
    public init(
        configuration: Consumer.Configuration,
        logger: Logger = Logger(label: "tubemq.consumer")
    ) async throws(ClientError) {
        session = ConsumerSession(configuration: configuration, kind: .push, logger: logger)
        try await session.start()
    }

    /// Joins the group sharing `budget`, the message limit of several consumers (a ``BidConsumer``).
    init(configuration: Consumer.Configuration, logger: Logger, budget: FetchBudget?) async throws(ClientError) {
        session = ConsumerSession(configuration: configuration, kind: .push, logger: logger, budget: budget)
        try await session.start()
    }

    /// The consumer's settings.
    public var configuration: Consumer.Configuration { session.configuration }
    /// The client id the consumer registered under.
    public var clientID: String { session.clientID }

    /// An executor that runs jobs on the event loop carrying every connection of this consumer (its
    /// fetch loops run there).
    ///
    /// A loop over the consumer in a task that prefers it (`Task(executorPreference: consumer.executor)
    /// { for try await message in consumer { ... } }`) takes each batch on that thread, without waking
    /// another one. Code run this way shares the thread with the consumer's I/O and must never block.
    public var executor: any TaskExecutor { session.executor }

    /// The partitions the consumer holds now.
    public func assignedPartitions() async -> [Partition] { await session.heldPartitions }

    /// Leaves the group: unregisters every partition (a batch in the middle of processing is given back
    /// for redelivery), closes at the master and the connections. Iterations then end. Idempotent.
    public func shutdown() async { await session.shutdown() }

    /// Starts the iteration.
    public func makeAsyncIterator() -> Iterator { Iterator(lease: IterationLease(session: session)) }

    /// Delivers messages; see ``PushConsumer``.
    public struct Iterator: AsyncIteratorProtocol {
        @usableFromInline let lease: IterationLease

        /// The next message, confirming the previous batch once all its messages were processed;
        /// `nil` after ``PushConsumer/shutdown()`` or cancellation.
        ///
        /// A message of the batch in hand is returned without suspending; the consumer is reached once
        /// per batch.
        ///
        /// - Throws: ``ClientError`` when the consumer failed for good (the master refused it).
        @inlinable
        public mutating func next() async throws -> ConsumedMessage? {
            if let message = lease.nextBufferedMessage() { return message }
            return try await lease.nextMessage()
        }

        /// For a loop that stops early after processing what it took: confirms the batch in hand if
        /// every one of its messages was handed out, and gives it back for redelivery (all of it)
        /// otherwise. Leaving a loop without it never confirms the last batch (a `break` and a
        /// `throw` look the same to the iterator), so that batch comes again.
        public mutating func finishBatch() { lease.finishBatch() }

        /// The next message, as ``next()``, staying on the caller's executor (`for try await` calls this).
        ///
        /// - Throws: ``ClientError`` when the consumer failed for good (the master refused it).
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> ConsumedMessage? {
            if let message = lease.nextBufferedMessage() { return message }
            return try await lease.nextMessage()
        }
    }

    /// The same consumption one batch (the messages of one fetch from one partition) at a time; a batch
    /// is confirmed when the loop asks for the next one.
    public var batches: Batches { Batches(session: session) }

    /// Batch-at-a-time delivery; see ``PushConsumer/batches``.
    public struct Batches: AsyncSequence, Sendable {
        /// Each element is the messages of one fetch, in partition order.
        public typealias Element = [ConsumedMessage]

        let session: ConsumerSession

        /// Starts the iteration.
        public func makeAsyncIterator() -> Iterator { Iterator(lease: IterationLease(session: session)) }

        /// Delivers batches; see ``PushConsumer/batches``.
        public struct Iterator: AsyncIteratorProtocol {
            let lease: IterationLease

            /// The next batch, confirming the previous one; `nil` after shutdown or cancellation.
            ///
            /// - Throws: ``ClientError`` when the consumer failed for good.
            public mutating func next() async throws -> [ConsumedMessage]? { try await lease.nextWholeBatch() }

            /// Confirms the batch in hand now rather than when the next one is asked for.
            public mutating func finishBatch() { lease.finishBatch() }

            /// The next batch, as ``next()``, staying on the caller's executor.
            ///
            /// - Throws: ``ClientError`` when the consumer failed for good.
            public mutating func next(isolation actor: isolated (any Actor)?) async throws -> [ConsumedMessage]? {
                try await lease.nextWholeBatch()
            }
        }
    }
}
