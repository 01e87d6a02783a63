import Glibc
import Logging

/// The kernel interface used to write flushes to disk.
public enum IOBackend: String, Sendable, Hashable, CaseIterable {
    /// io_uring: a flush's data write + `fdatasync` and index write + `fdatasync` go to the kernel
    /// as two chains of linked submissions in one system call. Falls back to ``posix`` at run time when io_uring is unavailable.
    case uring
    /// `pwritev` then `fdatasync`, one system call at a time.
    case posix
}

/// One write of a flush: `length` bytes from `bytes` to `fd` at `offset`.
struct FlushWrite {
    var fd: CInt
    var bytes: UnsafeRawBufferPointer
    var offset: Int64
    var path: String
}

/// A file to `fdatasync` at the end of a flush.
struct FlushSync {
    var fd: CInt
    var path: String
}

/// How the flusher gets a flush to disk: each file's writes in order, then that file's sync.
/// Different files may be written and synced in parallel; the call returns when all are done.
///
/// Implementations block the calling thread; they are called on the ``IOThreadPool`` only.
protocol StorageIO: Sendable {
    /// The backend actually in use (``IOBackend/posix`` when io_uring was requested but unavailable).
    var backend: IOBackend { get }

    /// Performs `writes` (in order per file) and `syncs` (each after its file's writes); returns
    /// once all are done.
    ///
    /// - Throws: ``StorageError`` with code ``StorageError/Code/writeFailed`` on the first failure.
    func writeAndSync(_ writes: [FlushWrite], syncs: [FlushSync]) throws(StorageError)

    /// Releases kernel resources (rings). Called once, when the store closes.
    func shutdown()
}

/// Chooses a ``StorageIO`` for a requested backend.
enum StorageIOFactory {
    /// Set `TUBEMQ_DISABLE_IO_URING=1` to force the POSIX path, e.g. to compare or to work around
    /// a kernel problem.
    static let disableEnvironmentKey = "TUBEMQ_DISABLE_IO_URING"

    static func make(
        _ requested: IOBackend,
        ringCount: Int,
        logger: Logger,
        probe: (Int) -> Result<URingIO, StorageError> = URingIO.make(ringCount:)
    ) -> any StorageIO {
        switch requested {
        case .posix:
            logger.info("storage I/O: posix (pwritev and fdatasync)")
            return PosixIO()
        case .uring:
            if let value = getenv(disableEnvironmentKey), String(cString: value) == "1" {
                logger.notice("io_uring disabled by environment, using posix I/O")
                return PosixIO()
            }
            switch probe(ringCount) {
            case .success(let io):
                logger.info("storage I/O: io_uring", metadata: ["tubemq.rings": "\(ringCount)"])
                return io
            case .failure(let error):
                // ENOMEM from io_uring_queue_init is most often the locked-memory limit of a
                // non-root user (ulimit -l).
                let hint =
                    error.systemErrno == ENOMEM ? " (ENOMEM: the locked-memory limit, ulimit -l, may be too low)" : ""
                logger.warning(
                    "io_uring unavailable, falling back to posix I/O\(hint)",
                    metadata: ["tubemq.errno": "\(error.systemErrno ?? 0)"]
                )
                return PosixIO()
            }
        }
    }
}

/// The plain path: `pwritev` for each write, then `fdatasync` for each file.
struct PosixIO: StorageIO {
    var backend: IOBackend { .posix }

    func writeAndSync(_ writes: [FlushWrite], syncs: [FlushSync]) throws(StorageError) {
        for write in writes {
            try FileIO.write(write.fd, write.bytes, at: write.offset, path: write.path)
        }
        for sync in syncs {
            try FileIO.dataSync(sync.fd, path: sync.path)
        }
    }

    func shutdown() {}
}
