import Logging

/// The shared services a storage instance runs on, owned by the ``MessageStore``.
struct StorageEnvironment: Sendable {
    /// How flushes reach the disk.
    let io: any StorageIO
    /// Where every blocking file system call runs.
    let pool: IOThreadPool
    /// Append times, flush intervals, retention and retry delays.
    let clock: any StorageClock
    /// The logger given to the store.
    let logger: Logger
    /// Told about every completed flush job (see ``MessageStore/Configuration/flushObserver``).
    var flushObserver: (@Sendable (FlushObservation) -> Void)? = nil
}
