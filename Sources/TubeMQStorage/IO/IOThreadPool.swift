import Glibc

/// A fixed set of threads that run blocking disk I/O, so that it never runs on an actor's
/// executor or ties up Swift's cooperative pool.
///
/// Work is queued in FIFO order and picked up by the first free thread. ``shutdown()`` lets the
/// queued work finish, then joins the threads; the owner must call it.
///
/// `@unchecked Sendable`: the queue and flags are only touched with `mutex` held.
final class IOThreadPool: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var stopping = false
    private var threads: [pthread_t] = []

    /// Starts `threadCount` threads (at least one).
    init(threadCount: Int) {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 0..<max(1, threadCount) {
            let box = Unmanaged.passRetained(WorkerContext(pool: self))
            var thread = pthread_t()
            let rc = pthread_create(
                &thread,
                nil,
                { raw in
                    guard let raw else { return nil }
                    let context = Unmanaged<WorkerContext>.fromOpaque(raw).takeRetainedValue()
                    context.pool.workLoop()
                    return nil
                },
                box.toOpaque()
            )
            if rc == 0 {
                threads.append(thread)
            } else {
                box.release()
            }
        }
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body` on a pool thread and returns its result.
    ///
    /// - Throws: what `body` throws, or ``StorageError/Code/closed`` after ``shutdown()``.
    func run<T: Sendable>(
        _ body: @escaping @Sendable () throws(StorageError) -> T
    ) async throws(StorageError) -> T {
        let result: Result<T, StorageError> = await withCheckedContinuation { continuation in
            let accepted = enqueue {
                continuation.resume(returning: Result { () throws(StorageError) in try body() })
            }
            if !accepted {
                continuation.resume(returning: .failure(.closed("the I/O thread pool")))
            }
        }
        return try result.get()
    }

    /// Runs `body` on a pool thread; for work that cannot fail. After ``shutdown()`` it runs inline.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let accepted = enqueue { continuation.resume(returning: body()) }
            if !accepted { continuation.resume(returning: body()) }
        }
    }

    /// Finishes queued work and joins every thread. Later `run` calls fail with ``StorageError/Code/closed``.
    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping = true
        let joined = threads
        threads.removeAll()
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        for thread in joined { pthread_join(thread, nil) }
    }

    private func enqueue(_ work: @escaping @Sendable () -> Void) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !stopping else { return false }
        queue.append(work)
        pthread_cond_signal(condition)
        return true
    }

    private func workLoop() {
        while let work = next() { work() }
    }

    /// The next work item, or `nil` once stopping with an empty queue.
    private func next() -> (@Sendable () -> Void)? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head >= queue.count {
            if stopping { return nil }
            pthread_cond_wait(condition, mutex)
        }
        let work = queue[head]
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 {
            queue.removeFirst(head)
            head = 0
        }
        return work
    }

    private final class WorkerContext {
        let pool: IOThreadPool
        init(pool: IOThreadPool) { self.pool = pool }
    }
}
