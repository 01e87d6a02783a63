import Foundation

/// The master's source of time: milliseconds since the epoch, and a way to wait for a given time.
///
/// Every timer of the master reads its clock, so tests can drive heartbeat expiry and balance rounds
/// with a ``ManualClock`` instead of waiting.
public protocol MasterClock: Sendable {
    /// The current time in milliseconds since the epoch.
    func now() -> Int64

    /// Returns once ``now()`` has reached `deadline` (milliseconds since the epoch).
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled while waiting.
    func sleep(until deadline: Int64) async throws
}

/// The wall clock: `Date()` for the time, `Task.sleep` for waiting.
public struct SystemClock: MasterClock {
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
