import Synchronization

/// The messages a consumer may still fetch, shared by the fetch loops of all its partitions
/// (``Consumer/Configuration/messageLimit``).
///
/// Before each fetch a loop reserves part of the budget and asks the broker for at most that many
/// messages (`maxCount`); it gives back what the broker did not send, and what the application
/// handed back unprocessed (a released batch). So the consumer never holds more messages than the
/// limit, and a consumer that stops after the limit (`tubemq consume --max`) has taken only batches
/// it handed out whole, which are confirmed. Loops that find the budget empty wait in turn, first
/// come first served, until some is given back or their partition is given up.
final class FetchBudget: Sendable {
    /// What a fetch reserves at most when the consumer sets no ``Consumer/Configuration/maxFetchCount``
    /// (the broker's largest batch).
    static let defaultReservation = 1000

    private struct Waiter {
        var id: UInt64
        var wanted: Int
        var continuation: CheckedContinuation<Int?, Never>
    }

    private struct State {
        /// Messages not reserved yet; below zero when a broker sent more than was reserved (the
        /// original broker does not know `maxCount`).
        var remaining: Int
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        /// Messages of batches the application worked through (confirmed by an iteration).
        var confirmed = 0
    }

    /// The limit the budget started with.
    let limit: Int

    private let state: Mutex<State>

    /// A budget of `limit` messages.
    init(limit: Int) {
        self.limit = max(0, limit)
        state = Mutex(State(remaining: max(0, limit)))
    }

    /// Counts `count` messages an iteration worked through and confirmed.
    func workedThrough(_ count: Int) {
        state.withLock { $0.confirmed += count }
    }

    /// Whether iterations have worked through the whole limit: the sequence then ends.
    var isSpent: Bool { state.withLock { $0.confirmed >= limit } }

    /// Messages not reserved yet (for tests and logs).
    var remaining: Int { state.withLock { $0.remaining } }

    /// Fetch loops waiting for some of the budget (for tests).
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Reserves up to `wanted` messages (at least 1), waiting while none is left or other loops
    /// wait before this one.
    ///
    /// - Returns: the number reserved, or `nil` when the task was cancelled first.
    func reserve(upTo wanted: Int) async -> Int? {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        let wanted = max(1, wanted)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
                // nil: queued; .some(nil): cancelled; .some(n): reserved n.
                let answer = state.withLock { state -> Int?? in
                    if Task.isCancelled { return .some(nil) }
                    if state.waiters.isEmpty, state.remaining > 0 {
                        let granted = min(wanted, state.remaining)
                        state.remaining -= granted
                        return .some(granted)
                    }
                    state.waiters.append(Waiter(id: id, wanted: wanted, continuation: continuation))
                    return .none
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(returning: nil)
        }
    }

    /// Gives `count` reserved messages back: the part of a reservation the broker did not send, or
    /// a batch the application released. A negative `count` takes more (a broker sent more than
    /// was reserved). Waiting loops are served in turn.
    func giveBack(_ count: Int) {
        guard count != 0 else { return }
        let served = state.withLock { state -> [(CheckedContinuation<Int?, Never>, Int)] in
            state.remaining += count
            var served: [(CheckedContinuation<Int?, Never>, Int)] = []
            while state.remaining > 0, !state.waiters.isEmpty {
                let waiter = state.waiters.removeFirst()
                let granted = min(waiter.wanted, state.remaining)
                state.remaining -= granted
                served.append((waiter.continuation, granted))
            }
            return served
        }
        for (continuation, granted) in served { continuation.resume(returning: granted) }
    }
}
