public import Foundation

/// Runs blocking work (waiting for a child process, reading a pipe to its end) on a thread of its
/// own and returns its result.
///
/// Swift Testing runs every test of the package in one process on a cooperative pool of one thread
/// per core: two on the CI machine. A test that blocked one of them for the seconds a child process
/// runs left the other tests' servers with one thread, and an RPC round trip of a test beside it
/// timed out. Blocking calls in tests go through here instead.
/// - Throws: What `body` throws.
public func onOwnThread<Value: Sendable>(
    _ body: @escaping @Sendable () throws -> Value
) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}

extension Process {
    /// Waits until the process has exited without holding a thread of the cooperative pool.
    public func exited() async {
        _ = try? await onOwnThread { self.waitUntilExit() }
    }
}
