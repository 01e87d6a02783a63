import Glibc
import Synchronization

@testable import TubeMQStorage

/// A POSIX backend that records every flush and, while its gate is closed, holds each syncing
/// flush after its writes and before its `fdatasync`s, so a test can look at the store while a
/// sync is in progress.
final class GatedIO: StorageIO {
    /// One completed flush: what it wrote and which files it synced.
    struct Flush: Sendable {
        let writtenBytes: Int
        let syncedPaths: [String]
    }

    private struct State {
        var open = true
        var waiting = 0
        var flushes: [Flush] = []
    }

    private let state = Mutex(State())

    var backend: IOBackend { .posix }

    /// Holds later syncs until ``open()``.
    func close() {
        state.withLock { $0.open = false }
    }

    /// Lets held and later syncs proceed.
    func open() {
        state.withLock { $0.open = true }
    }

    /// Syncing flushes currently held at the gate.
    var waiting: Int { state.withLock { $0.waiting } }

    /// Completed flushes, oldest first.
    var flushes: [Flush] { state.withLock { $0.flushes } }

    func writeAndSync(_ writes: [FlushWrite], syncs: [FlushSync]) throws(StorageError) {
        try PosixIO().writeAndSync(writes, syncs: [])
        if !syncs.isEmpty {
            state.withLock { $0.waiting += 1 }
            // Blocks this I/O thread, as a slow fdatasync would.
            while !state.withLock({ $0.open }) { usleep(1000) }
            state.withLock { $0.waiting -= 1 }
        }
        try PosixIO().writeAndSync([], syncs: syncs)
        let flush = Flush(writtenBytes: writes.reduce(0) { $0 + $1.bytes.count }, syncedPaths: syncs.map(\.path))
        state.withLock { $0.flushes.append(flush) }
    }

    func shutdown() {}
}
