import TubeMQClient
import TubeMQCore

/// At least once: a fetched batch that is not confirmed is fetched again from the same offset, both when
/// the consumer gives it back and when it times out; once confirmed it does not come back.
public struct RedeliveryCase: ConformanceCase {
    public let name = "redelivery"
    public let summary = "an unconfirmed batch is delivered again; a confirmed one is not"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let producer = try await context.producer()
        var configuration = context.consumerConfiguration(group: context.group(), from: .latest)
        configuration.confirmTimeout = .seconds(3)
        let consumer = try await context.pullConsumer(configuration)
        let partitions = context.partitionKeys(producer)
        try await context.waitForAssignment(
            "the consumer getting every partition",
            of: [consumer],
            covering: partitions
        )
        var sequence = 0
        for sent in try await context.sendTagged(count: 3, with: producer) { sequence = sent.tag.sequence + 1 }

        var batches = BatchReader(consumer: consumer, context: context)
        let first = try await batches.next("a batch with a message of the case") { batch in
            batch.messages.contains { context.owns($0.tag) }
        }
        let ours = first.messages.map(\.messageID)
        let partition = first.partition.key
        // More data behind the batch, so a broker that forgot the batch answers at once with later messages.
        for sent in try await context.sendTagged(from: sequence, count: 1, covering: partitions, with: producer) {
            sequence = sent.tag.sequence + 1
        }

        first.release()
        let again = try await batches.next("the released batch from \(partition)") { $0.partition.key == partition }
        try Self.check(again, repeats: first, ours, how: "after the consumer released it")

        // Left unconfirmed past the consumer's confirm timeout (3 s): delivered again.
        let third = try await batches.next("the timed-out batch from \(partition)") { $0.partition.key == partition }
        try Self.check(third, repeats: first, ours, how: "after it was left unconfirmed")
        _ = try await step("confirming the batch") { try await third.confirm() }

        // Confirmed: later batches of the partition start past it.
        let known = Set(ours)
        _ = try await context.sendTagged(from: sequence, count: 1, covering: partitions, with: producer)
        let later = try await batches.next("a later batch from \(partition)") { $0.partition.key == partition }
        try require(
            later.messages.allSatisfy { !known.contains($0.messageID) },
            "a confirmed batch from \(partition) (offset \(first.offset)) was delivered again at offset \(later.offset)"
        )
        _ = try? await later.confirm()
    }

    private static func check(
        _ batch: MessageBatch,
        repeats first: MessageBatch,
        _ ids: [Int64],
        how: String
    )
        throws(ConformanceError)
    {
        try require(
            batch.offset == first.offset && batch.messages.map(\.messageID).starts(with: ids),
            "the batch from \(first.partition.key) at offset \(first.offset) was not delivered again \(how); "
                + "the next one started at offset \(batch.offset) with \(batch.messages.count) messages"
        )
    }
}

/// Reads a pull consumer batch by batch, confirming the batches a case is not looking for.
struct BatchReader {
    let context: CaseContext
    private var iterator: PullConsumer.Iterator

    init(consumer: PullConsumer, context: CaseContext) {
        self.context = context
        self.iterator = consumer.makeAsyncIterator()
    }

    /// The next batch for which `wanted` holds; other batches are confirmed and passed over.
    ///
    /// - Throws: ``ConformanceError`` when the consumer ends or fails, or the case runs out of time.
    mutating func next(
        _ what: String,
        where wanted: (MessageBatch) -> Bool
    ) async throws(ConformanceError)
        -> MessageBatch
    {
        while true {
            let batch: MessageBatch?
            do {
                batch = try await iterator.next()
            } catch {
                throw ConformanceError(
                    .clientFailure,
                    "the pull consumer failed while waiting for \(what)",
                    underlying: error
                )
            }
            guard let batch else {
                throw ConformanceError(.timeout, "the pull consumer ended while waiting for \(what)")
            }
            if wanted(batch) { return batch }
            _ = try? await batch.confirm()
        }
    }
}
