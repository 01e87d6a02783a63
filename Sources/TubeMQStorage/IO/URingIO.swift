import CTubeMQURing
import Glibc
import Synchronization

/// The io_uring path: each flush is one chain of linked SQEs per file (its writes, then its
/// `fdatasync`), all submitted with one system call; the chains of different files run in parallel.
///
/// Rings are not thread-safe, so the backend keeps a small pool of them; each flush checks one out
/// for the duration of the chain. A ring whose submission fails is destroyed and that flush, like
/// any operation the kernel rejects (`EINVAL`, `EOPNOTSUPP`) or cuts short, finishes on the POSIX
/// path, so a flush never fails for want of io_uring.
final class URingIO: StorageIO {
    private struct Ring: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// Operations per chain; a flush needs four, more when a write is split.
    private static let entries: UInt32 = 32
    /// Writes are split so that each length fits the 32-bit SQE field.
    private static let maxWriteLength = 1 << 28

    private let idle: Mutex<[Ring]>
    private let maxIdle: Int

    var backend: IOBackend { .uring }

    private init(first: Ring, maxIdle: Int) {
        idle = Mutex([first])
        self.maxIdle = max(1, maxIdle)
    }

    /// Creates the backend, or the error that says io_uring is unavailable here.
    static func make(ringCount: Int) -> Result<URingIO, StorageError> {
        switch createRing() {
        case .success(let ring): return .success(URingIO(first: ring, maxIdle: ringCount))
        case .failure(let error): return .failure(error)
        }
    }

    private static func createRing() -> Result<Ring, StorageError> {
        var pointer: OpaquePointer?
        let rc = tubemq_uring_create(entries, &pointer)
        guard rc == 0, let pointer else {
            return .failure(StorageError(code: .writeFailed, message: "io_uring_queue_init failed", systemErrno: -rc))
        }
        return .success(Ring(pointer: pointer))
    }

    func writeAndSync(_ writes: [FlushWrite], syncs: [FlushSync]) throws(StorageError) {
        let checkedOut = idle.withLock { $0.popLast() }
        let ring: Ring
        if let checkedOut {
            ring = checkedOut
        } else if case .success(let fresh) = Self.createRing() {
            ring = fresh
        } else {
            try PosixIO().writeAndSync(writes, syncs: syncs)
            return
        }
        var ops: [tubemq_uring_op] = []
        ops.reserveCapacity(writes.count + syncs.count + 2)
        var pending: [Pending] = []
        // One chain per file: its writes, then its fdatasync. Files are independent, so their
        // chains run in parallel (the data file's and the index file's device flushes overlap).
        var files: [CInt] = []
        for fd in writes.map(\.fd) + syncs.map(\.fd) where !files.contains(fd) { files.append(fd) }
        for fd in files {
            for write in writes where write.fd == fd {
                var done = 0
                repeat {
                    let length = min(Self.maxWriteLength, write.bytes.count - done)
                    ops.append(
                        tubemq_uring_op(
                            kind: Int32(TUBEMQ_URING_OP_WRITE),
                            fd: write.fd,
                            buffer: write.bytes.baseAddress.map { UnsafeRawPointer($0 + done) },
                            length: UInt32(length),
                            offset: UInt64(write.offset + Int64(done)),
                            result: 0
                        )
                    )
                    pending.append(
                        .write(
                            FlushWrite(
                                fd: write.fd,
                                bytes: UnsafeRawBufferPointer(rebasing: write.bytes[done..<(done + length)]),
                                offset: write.offset + Int64(done),
                                path: write.path
                            )
                        )
                    )
                    done += length
                } while done < write.bytes.count
            }
            for sync in syncs where sync.fd == fd {
                ops.append(
                    tubemq_uring_op(
                        kind: Int32(TUBEMQ_URING_OP_FDATASYNC),
                        fd: sync.fd,
                        buffer: nil,
                        length: 0,
                        offset: 0,
                        result: 0
                    )
                )
                pending.append(.sync(sync))
            }
            if !ops.isEmpty { ops[ops.count - 1].kind |= Int32(TUBEMQ_URING_OP_END_CHAIN) }
        }
        var start = 0
        var healthy = true
        while start < ops.count {
            let count = min(Int(Self.entries), ops.count - start)
            let rc = ops.withUnsafeMutableBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return -EINVAL }
                return tubemq_uring_submit_chain(ring.pointer, base + start, UInt32(count))
            }
            if rc != 0 {
                healthy = false
                for index in start..<ops.count { ops[index].result = -ECANCELED }
                break
            }
            start += count
        }
        if healthy {
            let keep = idle.withLock { rings -> Bool in
                guard rings.count < maxIdle else { return false }
                rings.append(ring)
                return true
            }
            if !keep { tubemq_uring_destroy(ring.pointer) }
        } else {
            tubemq_uring_destroy(ring.pointer)
        }
        try complete(pending, results: ops.map(\.result))
    }

    private enum Pending {
        case write(FlushWrite)
        case sync(FlushSync)
    }

    /// Finishes, on the POSIX path, whatever the chain did not: short writes, cancelled links and
    /// operations the kernel does not support. Any other error fails the flush.
    private func complete(_ pending: [Pending], results: [Int32]) throws(StorageError) {
        for (operation, result) in zip(pending, results) {
            switch operation {
            case .write(let write):
                if result >= 0 {
                    let written = Int(result)
                    guard written < write.bytes.count else { continue }
                    let rest = UnsafeRawBufferPointer(rebasing: write.bytes[written...])
                    try FileIO.write(write.fd, rest, at: write.offset + Int64(written), path: write.path)
                } else if Self.isRetryable(-result) {
                    try FileIO.write(write.fd, write.bytes, at: write.offset, path: write.path)
                } else {
                    throw .system(.writeFailed, "io_uring write", path: write.path, errno: -result)
                }
            case .sync(let sync):
                if result == 0 { continue }
                if result > 0 || Self.isRetryable(-result) {
                    try FileIO.dataSync(sync.fd, path: sync.path)
                } else {
                    throw .system(.writeFailed, "io_uring fdatasync", path: sync.path, errno: -result)
                }
            }
        }
    }

    private static func isRetryable(_ code: Int32) -> Bool {
        code == ECANCELED || code == EINVAL || code == EOPNOTSUPP || code == EINTR || code == EAGAIN
    }

    func shutdown() {
        let rings = idle.withLock { rings in
            defer { rings.removeAll() }
            return rings
        }
        for ring in rings { tubemq_uring_destroy(ring.pointer) }
    }
}
