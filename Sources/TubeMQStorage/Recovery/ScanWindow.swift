import Glibc

/// A sliding read window over a file, for the sequential scans of recovery.
///
/// `bytes(at:count:)` returns a view valid until the next call; the window is refilled from disk
/// (at least ``chunkSize`` bytes at a time) whenever a request falls outside it.
final class ScanWindow {
    static let chunkSize = 1 << 20

    private let fd: CInt
    private let path: String
    private let fileSize: Int64
    private var buffer: UnsafeMutableRawBufferPointer
    private var start: Int64 = 0
    private var count = 0

    init(fd: CInt, path: String, fileSize: Int64) {
        self.fd = fd
        self.path = path
        self.fileSize = fileSize
        buffer = .allocate(byteCount: Self.chunkSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// The `length` bytes at `position`, or `nil` when they run past the end of the file.
    func bytes(at position: Int64, count length: Int) throws(StorageError) -> UnsafeRawBufferPointer? {
        guard position >= 0, length >= 0, position + Int64(length) <= fileSize else { return nil }
        if position < start || position + Int64(length) > start + Int64(count) {
            try fill(at: position, atLeast: length)
            guard position + Int64(length) <= start + Int64(count) else { return nil }
        }
        let offset = Int(position - start)
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + length)])
    }

    private func fill(at position: Int64, atLeast length: Int) throws(StorageError) {
        if length > buffer.count {
            buffer.deallocate()
            buffer = .allocate(byteCount: length, alignment: 16)
        }
        let wanted = Int(min(Int64(buffer.count), fileSize - position))
        start = position
        count = try FileIO.read(
            fd,
            into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]),
            at: position,
            path: path
        )
    }
}
