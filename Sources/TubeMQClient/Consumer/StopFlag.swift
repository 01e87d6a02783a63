public import Synchronization

/// Raised once the consumer shuts down; an iteration reads it before each message of the batch in
/// hand, so that it hands out nothing of a batch the shutdown gave back for redelivery.
@usableFromInline
final class StopFlag: Sendable {
    @usableFromInline let raised = Atomic<Bool>(false)

    init() {}

    /// Whether the consumer is shutting down.
    @inlinable var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Marks the consumer as shutting down.
    func raise() { raised.store(true, ordering: .relaxed) }
}
