import Glibc

/// Thin, typed-throwing wrappers over the POSIX file calls the engine uses.
///
/// Every function blocks the calling thread: call them only from the ``IOThreadPool`` (or from a
/// synchronous context that owns its thread), never on an actor's executor.
enum FileIO {
    /// Opens `path` read-only.
    static func openForReading(_ path: String) throws(StorageError) -> CInt {
        try open(path, flags: O_RDONLY | O_CLOEXEC)
    }

    /// Opens `path` for reading and writing, creating it (mode 0644) when missing.
    static func openForWriting(_ path: String) throws(StorageError) -> CInt {
        try open(path, flags: O_RDWR | O_CREAT | O_CLOEXEC)
    }

    private static func open(_ path: String, flags: CInt) throws(StorageError) -> CInt {
        while true {
            let fd = Glibc.open(path, flags, 0o644)
            if fd >= 0 { return fd }
            let code = errno
            if code == EINTR { continue }
            throw .system(.fileSystem, "open", path: path, errno: code)
        }
    }

    /// Closes `fd`, ignoring errors (the data was synced before, or was never written).
    static func close(_ fd: CInt) {
        _ = Glibc.close(fd)
    }

    /// The size of the open file.
    static func size(_ fd: CInt, path: String) throws(StorageError) -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system(.fileSystem, "fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    /// The size of `path`, or `nil` when it does not exist.
    static func size(ofPath path: String) throws(StorageError) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw .system(.fileSystem, "stat", path: path, errno: code)
        }
        return Int64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset`, looping over short reads; returns the bytes read
    /// (fewer only at end of file).
    static func read(
        _ fd: CInt,
        into buffer: UnsafeMutableRawBufferPointer,
        at offset: Int64,
        path: String
    ) throws(StorageError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, base + done, buffer.count - done, off_t(offset) + off_t(done))
            if n > 0 {
                done += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                throw .system(.readFailed, "pread", path: path, errno: errno)
            }
        }
        return done
    }

    /// Writes all of `buffer` at `offset` with `pwritev`, looping over short writes.
    static func write(_ fd: CInt, _ buffer: UnsafeRawBufferPointer, at offset: Int64, path: String) throws(StorageError)
    {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            var vector = iovec(
                iov_base: UnsafeMutableRawPointer(mutating: base + done),
                iov_len: buffer.count - done
            )
            let n = pwritev(fd, &vector, 1, off_t(offset) + off_t(done))
            if n > 0 {
                done += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                throw .system(.writeFailed, "pwritev", path: path, errno: n == 0 ? EIO : errno)
            }
        }
    }

    /// Writes all of `bytes` at `offset`.
    static func write(_ fd: CInt, _ bytes: [UInt8], at offset: Int64, path: String) throws(StorageError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(StorageError) in try write(fd, raw, at: offset, path: path) }
        }
        try result.get()
    }

    /// Reads up to `bytes.count` bytes at `offset` into `bytes`; returns the bytes read.
    static func read(_ fd: CInt, into bytes: inout [UInt8], at offset: Int64, path: String) throws(StorageError) -> Int
    {
        let result = bytes.withUnsafeMutableBytes { raw in
            Result { () throws(StorageError) in try read(fd, into: raw, at: offset, path: path) }
        }
        return try result.get()
    }

    /// `fdatasync(fd)`.
    static func dataSync(_ fd: CInt, path: String) throws(StorageError) {
        while fdatasync(fd) != 0 {
            if errno != EINTR { throw .system(.writeFailed, "fdatasync", path: path, errno: errno) }
        }
    }

    /// Truncates the open file to `length` bytes.
    static func truncate(_ fd: CInt, to length: Int64, path: String) throws(StorageError) {
        while ftruncate(fd, off_t(length)) != 0 {
            if errno != EINTR { throw .system(.writeFailed, "ftruncate", path: path, errno: errno) }
        }
    }

    /// `fsync`s a directory so that file creations, renames and removals in it are durable.
    static func syncDirectory(_ path: String) throws(StorageError) {
        let fd = try open(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(fd) }
        while fsync(fd) != 0 {
            if errno != EINTR { throw .system(.fileSystem, "fsync directory", path: path, errno: errno) }
        }
    }

    /// Creates `path` and any missing parents (mode 0755).
    static func makeDirectories(_ path: String) throws(StorageError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                if code == EEXIST { continue }
                throw .system(.fileSystem, "mkdir", path: prefix, errno: code)
            }
        }
    }

    /// The names in directory `path` (without `.` and `..`); empty when it does not exist.
    static func list(_ path: String) throws(StorageError) -> [String] {
        guard let dir = opendir(path) else {
            let code = errno
            if code == ENOENT { return [] }
            throw .system(.fileSystem, "opendir", path: path, errno: code)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws(StorageError) {
        if unlink(path) != 0 {
            let code = errno
            if code != ENOENT { throw .system(.fileSystem, "unlink", path: path, errno: code) }
        }
    }

    /// Removes `path` and, when it is a directory, everything in it; a missing path is not an error.
    static func removeTree(_ path: String) throws(StorageError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw .system(.fileSystem, "lstat", path: path, errno: code)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return try remove(path) }
        for name in try list(path) { try removeTree(path + "/" + name) }
        if rmdir(path) != 0 {
            let code = errno
            if code != ENOENT { throw .system(.fileSystem, "rmdir", path: path, errno: code) }
        }
    }

    /// Renames `from` to `to`, replacing `to` atomically.
    static func rename(_ from: String, to: String) throws(StorageError) {
        if Glibc.rename(from, to) != 0 { throw .system(.fileSystem, "rename", path: from, errno: errno) }
    }
}
