import Synchronization
import TubeMQCore

/// A sleep that can be cut short: ``wait(upTo:)`` returns after the duration, on ``signal()``, or
/// when the waiting task is cancelled. A signal with nobody waiting is kept for the next wait.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
        var expired = 0
    }

    private let state = Mutex(State())
    private let clock: any WallClock

    /// Creates a wakeup whose waits time out on `clock`.
    init(clock: any WallClock = SystemWallClock()) {
        self.clock = clock
    }

    /// Wakes the current or the next waiter.
    func signal() { wake(generation: nil) }

    /// Waits up to `duration`, or until signalled or cancelled.
    func wait(upTo duration: Duration) async {
        let generation = state.withLock { state -> Int in
            state.generation += 1
            return state.generation
        }
        let clock = self.clock
        let deadline = clock.now() + duration.milliseconds
        let timer = Task { [weak self] in
            try? await clock.sleep(until: deadline)
            self?.wake(generation: generation)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.pending || state.expired == generation || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            wake(generation: generation)
        }
        timer.cancel()
    }

    private func wake(generation: Int?) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let generation, generation != state.generation { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            if let generation { state.expired = generation } else { state.pending = true }
            return nil
        }
        waiter?.resume()
    }
}
