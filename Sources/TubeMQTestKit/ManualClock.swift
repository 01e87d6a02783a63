import Synchronization
public import TubeMQCore
public import TubeMQStorage

/// A clock that only moves when told to: for tests of heartbeat expiry, balance rounds, flush
/// intervals, retention and send deadlines. It serves the master and the client (``WallClock``) and the
/// storage engine (`StorageClock`).
///
/// ``sleep(until:)`` suspends until ``advance(to:)`` or ``advance(by:)`` moves the time to or past
/// the deadline, or the sleeping task is cancelled. Safe to share between tasks.
public final class ManualClock: WallClock, StorageClock, Sendable {
    private struct Sleeper {
        let deadline: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Int64
        var nextSleeperID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
    }

    private let state: Mutex<State>

    /// Creates a clock that reads `now` (milliseconds since the epoch) until it is advanced.
    public init(now: Int64 = 1_800_000_000_000) {
        self.state = Mutex(State(now: now))
    }

    /// The clock's current time.
    public func now() -> Int64 { state.withLock { $0.now } }

    /// How many tasks are sleeping on the clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline a task sleeps until, if any task sleeps.
    public var earliestSleeperDeadline: Int64? { state.withLock { $0.sleepers.values.map(\.deadline).min() } }

    /// Moves the time forward by `milliseconds` (never backwards) and wakes every sleeper now due.
    public func advance(by milliseconds: Int64) {
        let target = state.withLock { $0.now } + max(0, milliseconds)
        advance(to: target)
    }

    /// Moves the time to `time` if that is later than now, and wakes every sleeper now due.
    public func advance(to time: Int64) {
        let due: [Sleeper] = state.withLock { state in
            state.now = max(state.now, time)
            let now = state.now
            let ids = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { state.sleepers.removeValue(forKey: $0) }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Suspends until the clock reaches `deadline`.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    public func sleep(until deadline: Int64) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextSleeperID += 1
            return state.nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case due, cancelled, waiting }
                let outcome = state.withLock { state -> Outcome in
                    if Task.isCancelled { return .cancelled }
                    if state.now >= deadline { return .due }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .waiting
                }
                switch outcome {
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
