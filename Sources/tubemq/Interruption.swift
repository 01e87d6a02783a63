import Foundation
import UnixSignals

/// Runs a command's main loop so that Ctrl-C ends it cleanly.
///
/// The first SIGINT or SIGTERM cancels `body`, which winds down and returns what it has (a consumer
/// leaves its group, so that the group's other members take its partitions at once instead of after
/// the master's 30 s heartbeat timeout, and the command prints its count). A second signal ends the
/// process at once, with status 130.
/// - Throws: What `body` throws.
func runInterruptibly<Value: Sendable, Failure: Error>(
    _ body: @escaping @Sendable () async throws(Failure) -> Value
) async throws(Failure) -> Value {
    let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
    let work = Task { () async -> Result<Value, Failure> in
        do throws(Failure) {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
    let watcher = Task {
        var received = signals.makeAsyncIterator()
        guard await received.next() != nil else { return }
        work.cancel()
        guard await received.next() != nil else { return }
        exit(130)
    }
    defer { watcher.cancel() }
    return try await work.value.get()
}
