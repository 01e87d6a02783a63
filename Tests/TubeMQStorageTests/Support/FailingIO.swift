import Synchronization

@testable import TubeMQStorage

/// A POSIX backend whose first `failures` flushes fail with `errno` (EIO unless told), and that
/// can be switched to failing every flush (``failAll``) and back, like a disk that fills up and is
/// then cleaned.
final class FailingIO: StorageIO {
    private let remainingFailures: Mutex<Int>
    private let callCount = Mutex(0)
    private let failingAll = Mutex(false)
    let errno: Int32

    init(failures: Int, errno: Int32 = 5) {
        remainingFailures = Mutex(failures)
        self.errno = errno
    }

    /// Makes every later flush fail (`true`) or lets them through again (`false`).
    func failAll(_ on: Bool) {
        failingAll.withLock { $0 = on }
    }

    var backend: IOBackend { .posix }

    /// Flush attempts so far.
    var calls: Int { callCount.withLock { $0 } }

    func writeAndSync(_ writes: [FlushWrite], syncs: [FlushSync]) throws(StorageError) {
        callCount.withLock { $0 += 1 }
        let fail =
            failingAll.withLock { $0 }
            || remainingFailures.withLock { remaining -> Bool in
                guard remaining > 0 else { return false }
                remaining -= 1
                return true
            }
        if fail {
            // Write half of the first chunk, as a failing disk might, then fail.
            if let first = writes.first {
                let half = UnsafeRawBufferPointer(rebasing: first.bytes[0..<(first.bytes.count / 2)])
                try? FileIO.write(first.fd, half, at: first.offset, path: first.path)
            }
            throw StorageError.system(.writeFailed, "pwritev", path: writes.first?.path ?? "?", errno: errno)
        }
        try PosixIO().writeAndSync(writes, syncs: syncs)
    }

    func shutdown() {}
}

/// Polls `condition` until it holds (bounded, so a broken build fails instead of hanging).
func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
    for _ in 0..<1000 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }
    throw Timeout(description: "gave up waiting: \(what)")
}
