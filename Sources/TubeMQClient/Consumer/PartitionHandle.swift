import Synchronization
import TubeMQCore

/// What the application decided about a batch it was given.
enum BatchDecision: Sendable, Equatable {
    /// Processed; the next fetch carries `lastPackConsumed = true` (or the unregister readStatus 0).
    case confirmed
    /// Processed and already committed with an explicit commit call (method 18).
    case committed
    /// Given back: the broker hands out the same batch again.
    case released
}

/// The link between a held partition's fetch loop and the batch it handed to the application.
///
/// A partition has at most one batch out at a time (that is what keeps delivery ordered within a
/// partition). The fetch loop opens a batch with ``open()``, waits for its ``BatchDecision`` with
/// ``decision(for:)``, and only then fetches again. The decision comes from the application
/// (confirm, release), from a confirm timeout, or from the consumer giving the partition up.
final class PartitionHandle: Sendable {
    /// The partition.
    let partition: Partition

    private struct State {
        var stopping = false
        var sequence: UInt64 = 0
        var open: UInt64?
        var decided: (UInt64, BatchDecision)?
        var waiter: CheckedContinuation<BatchDecision, Never>?
        /// The open batch once the application has it, and since when.
        var handedOut: (sequence: UInt64, at: ContinuousClock.Instant)?
    }

    private let state = Mutex(State())

    init(partition: Partition) {
        self.partition = partition
    }

    /// Whether the consumer is giving the partition up.
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Marks the partition as being given up: no new batch opens after this.
    func stop() { state.withLock { $0.stopping = true } }

    /// Opens a new batch and returns its sequence number, or `nil` when the partition is being given up.
    func open() -> UInt64? {
        state.withLock { state in
            guard !state.stopping else { return nil }
            state.sequence += 1
            state.open = state.sequence
            state.decided = nil
            return state.sequence
        }
    }

    /// Notes that batch `sequence` goes to the application now; `false` when it is no longer open
    /// (decided while it was queued), and must not be handed out.
    func handOut(_ sequence: UInt64) -> Bool {
        state.withLock { state in
            guard state.open == sequence else { return false }
            state.handedOut = (sequence, .now)
            return true
        }
    }

    /// When batch `sequence` was handed out, `nil` while it waits in the consumer's queue.
    private func handedOutAt(_ sequence: UInt64) -> ContinuousClock.Instant? {
        state.withLock { state in state.handedOut.flatMap { $0.sequence == sequence ? $0.at : nil } }
    }

    /// Whether batch `sequence` is still waiting for its decision.
    func isOpen(_ sequence: UInt64) -> Bool { state.withLock { $0.open == sequence } }

    /// Decides batch `sequence`; `false` when it was decided already (or is not the open batch).
    @discardableResult
    func decide(_ sequence: UInt64, _ decision: BatchDecision) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<BatchDecision, Never>?) in
            guard state.open == sequence else { return (false, nil) }
            state.open = nil
            if let waiter = state.waiter {
                state.waiter = nil
                return (true, waiter)
            }
            state.decided = (sequence, decision)
            return (true, nil)
        }
        waiter?.resume(returning: decision)
        return accepted
    }

    /// Releases the open batch, if any (the consumer gives the partition up or shuts down).
    func releaseOpenBatch() {
        guard let sequence = state.withLock({ $0.open }) else { return }
        decide(sequence, .released)
    }

    /// Waits for the decision on batch `sequence`; `timeout` (when given) after the application got
    /// it, it is released.
    func decision(for sequence: UInt64, timeout: Duration?) async -> BatchDecision {
        // The confirm timeout runs from the moment the application has the batch: one queued behind
        // another partition's slow batch was handed out already expired, and its confirm failed.
        let timer = timeout.map { timeout in
            Task { [weak self] in
                var wait = timeout
                while true {
                    try? await Task.sleep(for: wait)
                    guard !Task.isCancelled, let self else { return }
                    guard let since = self.handedOutAt(sequence) else {
                        guard self.isOpen(sequence) else { return }
                        wait = min(timeout, .seconds(1))  // still queued: look again
                        continue
                    }
                    let left = timeout - (ContinuousClock.now - since)
                    guard left > .zero else {
                        self.decide(sequence, .released)
                        return
                    }
                    wait = left
                }
            }
        }
        defer { timer?.cancel() }
        return await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> BatchDecision? in
                if let (decided, decision) = state.decided, decided == sequence {
                    state.decided = nil
                    return decision
                }
                guard state.open == sequence else { return .released }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
