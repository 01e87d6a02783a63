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
        configuration: .init(connectAttempts: attempts, initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(250)),
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

/// Reads session states from a stream until `state` arrives (or the stream ends).
func waitFor(_ state: SessionState, in iterator: inout AsyncStream<SessionState>.Iterator) async -> [SessionState] {
    var seen: [SessionState] = []
    while let next = await iterator.next() {
        seen.append(next)
        if next == state { break }
    }
    return seen
}

/// Collects session states into an array as they come.
final class StateRecorder: Sendable {
    private let task: Task<[SessionState], Never>

    init(_ client: ZooKeeperClient, until final: SessionState) {
        let stream = client.sessionEvents
        task = Task {
            var states: [SessionState] = []
            for await state in stream {
                states.append(state)
                if state == final { break }
            }
            return states
        }
    }

    var states: [SessionState] { get async { await task.value } }
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
