import Logging
import NIOCore
import Testing
import TubeMQZooKeeper

/// A logger for clients under test (warnings and worse only, to keep the output readable).
func testLogger(_ label: String = "zk-test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .warning
    return logger
}

/// Opens a client on `server` with test-friendly retry settings.
func connect(
    _ connectString: String,
    timeout: Duration = .seconds(4),
    attempts: Int = 5,
    resuming: SessionCredentials? = nil
) async throws -> ZooKeeperClient {
    try await ZooKeeperClient.connect(
        to: connectString,
        sessionTimeout: timeout,
        configuration: .init(
            connectAttempts: attempts,
            initialBackoff: .milliseconds(50),
            maximumBackoff: .milliseconds(250)
        ),
        resuming: resuming,
        logger: testLogger()
    )
}

/// A unique path prefix per test, under the root.
func uniquePath(_ name: String) -> String {
    "/\(name)-\(UInt32.random(in: 0...UInt32.max))"
}

/// Waits at most `timeout` for `body` to finish.
func within<T: Sendable>(
    _ timeout: Duration,
    _ what: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw TimedOut(what: what, timeout: timeout)
        }
        return value
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var timeout: Duration
    var description: String { "timed out after \(timeout) waiting for \(what)" }
}

/// The code of a ZooKeeper error thrown by `body`, or nil.
func errorCode(_ body: () async throws -> Void) async -> ZooKeeperError.Code? {
    do {
        try await body()
        return nil
    } catch let error as ZooKeeperError {
        return error.code
    } catch {
        return nil
    }
}

/// Records every session state of a client from now on; tests wait for a given state to appear.
actor StateLog {
    private(set) var states: [SessionState] = []
    init(_ client: ZooKeeperClient) {
        let stream = client.sessionEvents
        let log = self
        Task { await log.consume(stream) }
    }

    private func consume(_ stream: AsyncStream<SessionState>) async {
        for await state in stream { states.append(state) }
    }

    /// Waits until `state` appears at or after position `from`; returns the states seen so far.
    @discardableResult
    func wait(for state: SessionState, from: Int = 0, timeout: Duration = .seconds(10)) async throws -> [SessionState] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if states.count > from, states[from...].contains(state) { return states }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TimedOut(what: "session state \(state) (seen \(states))", timeout: timeout)
    }
}
