/// A condition a test waited for did not come true in time.
public struct TestTimeout: Error, CustomStringConvertible {
    /// What was waited for.
    public var description: String

    /// Creates the error.
    public init(description: String) { self.description = description }
}

/// Polls `condition` every 10 ms until it holds, failing after `timeout` of real time.
///
/// For effects of tasks the test does not await (timers, heartbeats, flushers).
/// - Throws: ``TestTimeout`` naming `what`, or what `condition` throws.
public func eventually(
    _ what: String,
    timeout: Duration = .seconds(15),
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    if try await condition() { return }
    throw TestTimeout(description: "timed out waiting until \(what)")
}

/// Polls `condition` every 10 ms until it holds or `timeoutMs` of real time pass; returns whether it held.
public func eventually(timeoutMs: Int = 3_000, _ condition: () async -> Bool) async -> Bool {
    for _ in 0..<max(1, timeoutMs / 10) {
        if await condition() { return true }
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return await condition()
}
