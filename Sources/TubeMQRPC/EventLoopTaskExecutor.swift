public import NIOCore

/// A `TaskExecutor` that runs jobs on one NIO event loop.
///
/// A task started with this executor as its preference runs on the loop's thread, and so does the
/// code of every default actor it awaits. A connection's calls, the storage actors they use and the
/// reply writes then stay on one thread, with no wake-up of another thread per call. Code run this
/// way must never block.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop jobs run on.
    public let eventLoop: any EventLoop

    /// Creates an executor for `eventLoop`.
    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
