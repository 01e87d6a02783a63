import Glibc

/// The time source of the storage engine: append times, flush intervals, retention and retries
/// all read it, so tests can drive them without waiting.
public protocol StorageClock: Sendable {
    /// Wall-clock time in milliseconds since the Unix epoch.
    func now() -> Int64
    /// Suspends for `milliseconds`.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled.
    func sleep(milliseconds: Int64) async throws
}

/// The system's real-time clock.
public struct SystemStorageClock: StorageClock {
    /// Creates the clock.
    public init() {}

    /// `CLOCK_REALTIME` in milliseconds since the Unix epoch.
    public func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// `Task.sleep` for `milliseconds`.
    ///
    /// - Throws: `CancellationError` when the calling task is cancelled.
    public func sleep(milliseconds: Int64) async throws {
        try await Task.sleep(for: .milliseconds(max(0, milliseconds)))
    }
}
