import Synchronization

/// Wakes gets that wait for data (a long poll, our client's `maxWaitMs` extension) when a send
/// appends to their partition.
///
/// A get takes a ``Ticket`` before it reads, so an append that lands between its read and its wait
/// still wakes it: the ticket holds the partition's append generation as it was before the read, and
/// ``wait(_:until:)`` returns at once when the generation has moved since. Sends pay one atomic load
/// while nobody waits.
final class PartitionWakeups: Sendable {
    /// A partition of a topic.
    struct Key: Hashable, Sendable {
        var topic: String
        var partitionID: Int32
    }

    /// A get's claim to be woken, taken before it reads; hand it to ``wait(_:until:)`` or ``release(_:)``.
    struct Ticket: Sendable {
        let key: Key
        let generation: UInt64
    }

    private struct Waiter {
        var continuation: CheckedContinuation<Void, Never>
        var deadline: ContinuousClock.Instant
    }

    private struct Entry {
        var generation: UInt64 = 0
        var tickets = 0
        var waiters: [UInt64: Waiter] = [:]
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var nextWaiter: UInt64 = 0
        /// The deadline the running sweeper sleeps until; `nil` when none runs.
        var sweepTarget: ContinuousClock.Instant?
        /// Which sweeper is current: a replaced one stops at its next step.
        var sweeperID: UInt64 = 0
        var sweeper: Task<Void, Never>?

        /// The earliest deadline of a parked wait, if any.
        var earliestDeadline: ContinuousClock.Instant? {
            var earliest: ContinuousClock.Instant?
            for entry in entries.values {
                for waiter in entry.waiters.values where earliest.map({ waiter.deadline < $0 }) ?? true {
                    earliest = waiter.deadline
                }
            }
            return earliest
        }

        /// Unparks the waits whose deadline has passed.
        mutating func removeExpired(at now: ContinuousClock.Instant) -> [CheckedContinuation<Void, Never>] {
            var expired: [CheckedContinuation<Void, Never>] = []
            for (key, entry) in entries {
                for (id, waiter) in entry.waiters where waiter.deadline <= now {
                    expired.append(waiter.continuation)
                    entries[key]?.waiters[id] = nil
                }
            }
            return expired
        }
    }

    private let state = Mutex(State())
    /// Tickets outstanding over all partitions; sends skip the lock while it is zero.
    private let outstanding = Atomic<Int>(0)

    /// Takes a ticket for `key`; call before reading.
    func ticket(_ key: Key) -> Ticket {
        let generation = state.withLock { state in
            state.entries[key, default: Entry()].tickets += 1
            return state.entries[key]!.generation
        }
        outstanding.add(1, ordering: .sequentiallyConsistent)
        return Ticket(key: key, generation: generation)
    }

    /// Gives a ticket back without waiting.
    func release(_ ticket: Ticket) {
        state.withLock { state in Self.drop(ticket, from: &state) }
        outstanding.subtract(1, ordering: .sequentiallyConsistent)
    }

    /// Waits until a send appends to the ticket's partition (or appended since the ticket was taken),
    /// `deadline` passes or the task is cancelled; gives the ticket back.
    ///
    /// A parked wait costs no task and no timer of its own: one sweeper task, running only while
    /// waits are parked, sleeps until the earliest deadline and unparks what has expired (a timer per
    /// held get, and the task group around it, cost the broker more than the reads at low rates).
    func wait(_ ticket: Ticket, until deadline: ContinuousClock.Instant) async {
        let waiter: UInt64? = state.withLock { state in
            guard state.entries[ticket.key]?.generation == ticket.generation else { return nil }
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        guard let waiter else {
            release(ticket)
            return
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let parked = self.state.withLock { state -> Bool in
                    // Moved on between the check above and here, or cancelled (the handler below may
                    // already have run, finding nothing to wake): do not park.
                    guard state.entries[ticket.key]?.generation == ticket.generation, !Task.isCancelled
                    else { return false }
                    state.entries[ticket.key]?.waiters[waiter] = Waiter(continuation: continuation, deadline: deadline)
                    if state.sweepTarget.map({ deadline < $0 }) ?? true {
                        // No sweeper, or one sleeping past this deadline: a new one takes over.
                        state.sweeperID &+= 1
                        state.sweepTarget = deadline
                        state.sweeper?.cancel()
                        let id = state.sweeperID
                        state.sweeper = Task { await self.sweep(id) }
                    }
                    return true
                }
                if !parked { continuation.resume() }
            }
        } onCancel: {
            self.wake(ticket.key, waiter: waiter)
        }
        release(ticket)
    }

    /// The sweeper `id`: sleeps until the earliest deadline of the parked waits and unparks the
    /// expired ones, until no wait is parked or another sweeper replaces it.
    private func sweep(_ id: UInt64) async {
        while true {
            let target: ContinuousClock.Instant? = state.withLock { state in
                guard state.sweeperID == id else { return nil }
                state.sweepTarget = state.earliestDeadline
                if state.sweepTarget == nil { state.sweeper = nil }
                return state.sweepTarget
            }
            guard let target else { return }
            do { try await Task.sleep(until: target, clock: .continuous) } catch { return }
            let expired = state.withLock { state in
                state.sweeperID == id ? state.removeExpired(at: .now) : []
            }
            for continuation in expired { continuation.resume() }
        }
    }

    /// Whether any get holds a ticket; sends skip ``appended(topic:partitionIDs:)`` while not.
    var hasWaiters: Bool { outstanding.load(ordering: .sequentiallyConsistent) > 0 }

    /// A send appended to these partitions of `topic`: wakes their waiting gets.
    func appended(topic: String, partitionIDs: some Sequence<Int32>) {
        let woken: [CheckedContinuation<Void, Never>] = state.withLock { state in
            var woken: [CheckedContinuation<Void, Never>] = []
            for partitionID in partitionIDs {
                let key = Key(topic: topic, partitionID: partitionID)
                guard var entry = state.entries[key] else { continue }
                entry.generation &+= 1
                woken.append(contentsOf: entry.waiters.values.lazy.map(\.continuation))
                entry.waiters.removeAll()
                state.entries[key] = entry
            }
            return woken
        }
        for continuation in woken { continuation.resume() }
    }

    /// Resumes one waiter if it is still parked (its deadline passed or its task was cancelled).
    private func wake(_ key: Key, waiter: UInt64) {
        let parked = state.withLock { state in state.entries[key]?.waiters.removeValue(forKey: waiter) }
        parked?.continuation.resume()
    }

    private static func drop(_ ticket: Ticket, from state: inout State) {
        guard var entry = state.entries[ticket.key] else { return }
        entry.tickets -= 1
        if entry.tickets <= 0 && entry.waiters.isEmpty {
            state.entries[ticket.key] = nil
        } else {
            state.entries[ticket.key] = entry
        }
    }
}
