import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe replacement of a small file: write a temporary file, `fsync` it, `rename(2)` it over
/// the target, `fsync` the directory.
enum AtomicFile {
    /// Replaces the file at `path` (in `directory`) with `data`.
    ///
    /// - Throws: ``MetadataStoreError`` `.io` naming the step that failed and its `errno`.
    static func replace(path: String, directory: String, with data: Data) throws(MetadataStoreError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("open", temporary) }
        var written = 0
        let result: Int32 = data.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return 0 }
            while written < raw.count {
                let n = write(fd, base + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return 0
        }
        if result != 0 {
            close(fd)
            throw failure("write", temporary, code: result)
        }
        guard fsync(fd) == 0 else {
            let code = errno
            close(fd)
            throw failure("fsync", temporary, code: code)
        }
        guard close(fd) == 0 else { throw failure("close", temporary) }
        guard rename(temporary, path) == 0 else { throw failure("rename", path) }
        try syncDirectory(directory)
    }

    /// `fsync`s a directory, so a rename in it is durable.
    static func syncDirectory(_ directory: String) throws(MetadataStoreError) {
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", directory) }
    }

    static func failure(_ step: String, _ path: String, code: Int32 = errno) -> MetadataStoreError {
        MetadataStoreError(.io, "\(step) \(path) failed: \(String(cString: strerror(code))) (errno \(code))")
    }
}

/// An exclusive `flock(2)` on a lock file, held until ``release()``.
final class FileLock: Sendable {
    private let fd: Int32

    /// Opens (creating it) and locks `path` without waiting.
    ///
    /// - Throws: ``MetadataStoreError`` `.locked` when another open file description holds the lock,
    ///   `.io` when the file cannot be opened.
    init(path: String) throws(MetadataStoreError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFile.failure("open", path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw MetadataStoreError(.locked, "\(path) is held by another master")
            }
            throw AtomicFile.failure("flock", path, code: code)
        }
        self.fd = fd
    }

    /// Unlocks and closes the lock file.
    func release() {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}
