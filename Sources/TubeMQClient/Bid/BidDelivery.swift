/// Where the clusters of a ``BidConsumer`` meet: each cluster's consumer hands its batches in here,
/// the application's iteration takes them out, one at a time, in the order they arrived.
///
/// Isolation: this actor owns the queue of handed-in batches, the batches in the application's
/// hands and the waiting iteration. A cluster's consumer that hands a batch in stays suspended in
/// ``hand(_:messages:)`` until the application has worked through the batch (``finish(_:)``), so it
/// confirms the batch to its own cluster only then; ``close()`` answers every such wait with
/// ``Outcome/stopped`` and the batch is not confirmed.
actor BidDelivery {
    /// What became of a handed-in batch.
    enum Outcome: Sendable, Equatable {
        /// The application worked through it: confirm it, then report ``confirmed(_:)`` with this id.
        case processed(UInt64)
        /// The consumer is closing (or the batch's cluster is leaving): do not confirm it.
        case stopped
    }

    /// A batch handed in, as the application gets it.
    struct Batch: Sendable {
        var id: UInt64
        var cluster: BidCluster
        var messages: [ConsumedMessage]
    }

    private var queue: [(batch: Batch, continuation: CheckedContinuation<Outcome, Never>)] = []
    private var inHand: [UInt64: CheckedContinuation<Outcome, Never>] = [:]
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Batch?, any Error>)] = []
    private var nextID: UInt64 = 0
    private var closed = false
    /// Applications waiting until a cluster confirmed the batch they finished, by batch id.
    private var confirmations: [UInt64: CheckedContinuation<Void, Never>] = [:]

    /// Hands a cluster's batch to the application and waits until it was worked through
    /// (``Outcome/processed``) or the consumer closes or the calling task is cancelled (``Outcome/stopped``).
    func hand(_ cluster: BidCluster, messages: [ConsumedMessage]) async -> Outcome {
        guard !closed, !Task.isCancelled else { return .stopped }
        nextID &+= 1
        let id = nextID
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let batch = Batch(id: id, cluster: cluster, messages: messages)
                if !waiters.isEmpty {
                    inHand[id] = continuation
                    waiters.removeFirst().continuation.resume(returning: batch)
                } else {
                    queue.append((batch, continuation))
                }
            }
        } onCancel: {
            Task { await self.withdraw(id) }
        }
    }

    /// The next batch, waiting for one; `nil` once closed.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
    func next() async throws -> Batch? {
        guard !closed else { return nil }
        if !queue.isEmpty {
            let (batch, continuation) = queue.removeFirst()
            inHand[batch.id] = continuation
            return batch
        }
        nextID &+= 1
        let id = nextID
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Batch?, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// The application worked through batch `id`: its cluster may confirm it.
    func finish(_ id: UInt64) {
        inHand.removeValue(forKey: id)?.resume(returning: .processed(id))
    }

    /// As ``finish(_:)``, and waits until the batch's cluster has confirmed it (``confirmed(_:)``) or
    /// the delivery closes: an application about to stop knows its last batch counts as consumed.
    func finishAndWaitForConfirmation(_ id: UInt64) async {
        guard let member = inHand.removeValue(forKey: id) else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            confirmations[id] = continuation
            member.resume(returning: .processed(id))
        }
    }

    /// A cluster confirmed batch `id`.
    func confirmed(_ id: UInt64) {
        confirmations.removeValue(forKey: id)?.resume()
    }

    /// Ends delivery: every handed-in batch, queued or in the application's hands, is answered
    /// ``Outcome/stopped`` and waiting iterations get `nil`. Idempotent.
    func close() {
        closed = true
        let queued = queue
        queue.removeAll()
        let held = inHand
        inHand.removeAll()
        let waiting = waiters
        waiters.removeAll()
        for entry in queued { entry.continuation.resume(returning: .stopped) }
        for continuation in held.values { continuation.resume(returning: .stopped) }
        for waiter in waiting { waiter.continuation.resume(returning: nil) }
        let confirming = confirmations
        confirmations.removeAll()
        for continuation in confirming.values { continuation.resume() }
    }

    /// How many handed-in batches wait for the application to take them.
    var queuedCount: Int { queue.count }
    /// How many iterations wait for a batch.
    var waitingCount: Int { waiters.count }

    /// Takes batch `id` back (its cluster's task was cancelled), queued or in the application's hands.
    private func withdraw(_ id: UInt64) {
        if let index = queue.firstIndex(where: { $0.batch.id == id }) {
            queue.remove(at: index).continuation.resume(returning: .stopped)
        } else {
            inHand.removeValue(forKey: id)?.resume(returning: .stopped)
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
