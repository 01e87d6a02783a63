import Synchronization

/// Waits for `task` for at most `limit`; `nil` when the time ran out first (the task keeps running).
///
/// Unlike a task group, this returns on time even when the task ignores cancellation.
func value<T: Sendable>(of task: Task<T, Never>, within limit: Duration) async -> T? {
    let race = Race<T>()
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
        race.start(continuation)
        race.timer = Task {
            try? await Task.sleep(for: limit)
            race.finish(nil)
        }
        Task { race.finish(await task.value) }
    }
    race.timer?.cancel()
    return result
}

/// The continuation the first of two finishers resumes, and the timer to cancel afterwards.
private final class Race<T: Sendable>: Sendable {
    private let slot = Mutex<CheckedContinuation<T?, Never>?>(nil)
    private let timerSlot = Mutex<Task<Void, Never>?>(nil)

    var timer: Task<Void, Never>? {
        get { timerSlot.withLock { $0 } }
        set { timerSlot.withLock { $0 = newValue } }
    }

    func start(_ continuation: CheckedContinuation<T?, Never>) { slot.withLock { $0 = continuation } }

    func finish(_ value: T?) { slot.withLock { $0.take() }?.resume(returning: value) }
}
