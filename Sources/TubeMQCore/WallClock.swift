import Foundation

/// A source of wall-clock time in milliseconds since the epoch, and a way to wait for a given time.
///
/// Every timer of the master and of the client reads one, so tests can drive heartbeat expiry,
/// balance rounds and send deadlines with `TubeMQTestKit`'s `ManualClock` instead of waiting.
public protocol WallClock: Sendable {
    /// The current time in milliseconds since the epoch.
    func now() -> Int64

    /// Returns once ``now()`` has reached `deadline` (milliseconds since the epoch).
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled while waiting.
    func sleep(until deadline: Int64) async throws
}

/// The wall clock: `Date()` for the time, `Task.sleep` for waiting.
public struct SystemWallClock: WallClock {
    /// Creates the wall clock.
    public init() {}

    /// The current wall-clock time in milliseconds since the epoch.
    public func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Sleeps until the wall clock reaches `deadline`; returns at once if it already has.
    ///
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(until deadline: Int64) async throws {
        let wait = deadline - now()
        if wait > 0 {
            try await Task.sleep(nanoseconds: UInt64(wait) * 1_000_000)
        } else {
            try Task.checkCancellation()
        }
    }
}

extension WallClock {
    /// Returns once `milliseconds` have passed on this clock.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled while waiting.
    public func sleep(milliseconds: Int64) async throws {
        try await sleep(until: now() + max(0, milliseconds))
    }
}
