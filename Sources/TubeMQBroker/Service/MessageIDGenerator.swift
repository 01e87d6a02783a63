import Foundation
import Synchronization

/// Snowflake-style message ids, laid out like the real broker's `IdWorker`:
/// `millisSinceEpoch << 22 | workerID << 12 | sequence`, always non-negative.
///
/// Time comes from the wall clock at start plus a monotonic clock after, so ids stay unique within
/// a run even if the wall clock steps back; 4,096 ids per millisecond, borrowing the next
/// millisecond when a burst exhausts one. Ids are opaque to clients and not promised to be monotonic.
public final class MessageIDGenerator: Sendable {
    /// 2020-01-01T00:00:00Z in Unix milliseconds.
    static let epochMillis: UInt64 = 1_577_836_800_000

    private struct State {
        var lastTick: UInt64 = 0
        var sequence: UInt64 = 0
    }

    private let worker: UInt64
    private let startTick: UInt64
    private let start: ContinuousClock.Instant
    private let state = Mutex(State())

    /// Creates a generator for broker `workerID` (its low 10 bits are used).
    public init(workerID: Int32) {
        self.worker = UInt64(UInt32(bitPattern: workerID) & 0x3FF)
        let now = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        self.startTick = now > Self.epochMillis ? now - Self.epochMillis : 0
        self.start = ContinuousClock.now
    }

    /// `count` ids, taken under one lock.
    public func next(_ count: Int) -> [Int64] {
        guard count > 1 else { return count == 1 ? [next()] : [] }
        let tick = currentTick()
        return state.withLock { state -> [Int64] in
            var ids: [Int64] = []
            ids.reserveCapacity(count)
            for _ in 0..<count { ids.append(issue(tick: tick, state: &state)) }
            return ids
        }
    }

    /// The next id.
    public func next() -> Int64 {
        let tick = currentTick()
        return state.withLock { issue(tick: tick, state: &$0) }
    }

    /// Milliseconds since ``epochMillis``, from the monotonic clock.
    private func currentTick() -> UInt64 {
        let elapsed = ContinuousClock.now - start
        return startTick &+ UInt64(elapsed.components.seconds) &* 1000
            &+ UInt64(elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Issues one id at `tick` (or later, when earlier ids already used it up).
    private func issue(tick: UInt64, state: inout State) -> Int64 {
        if tick > state.lastTick {
            state.lastTick = tick
            state.sequence = 0
        } else {
            state.sequence += 1
            if state.sequence > 0xFFF {
                state.lastTick += 1
                state.sequence = 0
            }
        }
        return Int64(bitPattern: ((state.lastTick << 22) | (worker << 12) | state.sequence) & 0x7FFF_FFFF_FFFF_FFFF)
    }
}
