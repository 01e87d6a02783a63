import Foundation
import UnixSignals

/// Runs a command's main loop, then its clean-up, so that Ctrl-C ends them cleanly.
///
/// The first SIGINT or SIGTERM cancels `body`, which winds down and returns what it has (a consumer
/// leaves its group, so that the group's other members take its partitions at once instead of after
/// the master's 30 s heartbeat timeout, and the command prints its count). `cleanup` runs after
/// `body` however it ended, and is not cancelled. A second signal, during either, ends the process at
/// once with status 130, unless it came within ``duplicateSignalWindow`` of the first: that is the
/// same request sent twice (GNU `timeout` signals the command and then its process group), and
/// leaving at once would skip the clean-up.
/// - Throws: What `body` throws.
func runInterruptibly<Value: Sendable, Failure: Error>(
    _ body: @escaping @Sendable () async throws(Failure) -> Value,
    then cleanup: @escaping @Sendable () async -> Void
) async throws(Failure) -> Value {
    let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm, .sighup)
    let work = Task { () async -> Result<Value, Failure> in
        let result: Result<Value, Failure>
        do throws(Failure) {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        await Task { await cleanup() }.value  // a task of its own: not cancelled with the loop
        return result
    }
    let watcher = Task {
        var received = signals.makeAsyncIterator()
        guard await received.next() != nil else { return }
        let first = ContinuousClock.now
        work.cancel()
        while await received.next() != nil {
            if ContinuousClock.now - first >= duplicateSignalWindow { exit(130) }
        }
    }
    defer { watcher.cancel() }
    return try await work.value.get()
}

/// How soon after the first signal a second one counts as a copy of it rather than a request to
/// stop at once.
let duplicateSignalWindow = Duration.milliseconds(500)
