import Glibc

/// A failure of the storage engine: a machine-readable ``code``, a human-readable ``message``,
/// and, where the failure came from the operating system, its `errno`.
///
/// Errors are values: compare ``code`` rather than the message text. Offset errors carry the
/// instance's offset range so a caller can reset a consumer without a second call.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An extensible set of failure kinds.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public var rawValue: String
        /// Creates a code from its stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The requested offset is below the instance's minimum: aging deleted that data.
        public static let offsetBelowMinimum = Code(rawValue: "offsetBelowMinimum")
        /// The requested offset is beyond the instance's maximum.
        public static let offsetAboveMaximum = Code(rawValue: "offsetAboveMaximum")
        /// The partition id does not belong to this topic or storage instance.
        public static let unknownPartition = Code(rawValue: "unknownPartition")
        /// No topic of that name is open.
        public static let unknownTopic = Code(rawValue: "unknownTopic")
        /// The topic is already open, or its name is not usable as a directory name.
        public static let invalidTopic = Code(rawValue: "invalidTopic")
        /// A configuration value is out of range.
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
        /// An argument is out of range (an empty batch, a negative budget).
        public static let invalidArgument = Code(rawValue: "invalidArgument")
        /// A message payload is larger than the configured maximum.
        public static let messageTooLarge = Code(rawValue: "messageTooLarge")
        /// The instance or store is closing or closed.
        public static let closed = Code(rawValue: "closed")
        /// Writing or syncing to disk failed; the error is kept and reported on later appends.
        public static let writeFailed = Code(rawValue: "writeFailed")
        /// Writing failed because the device is full (`ENOSPC`) or a quota is exhausted (`EDQUOT`);
        /// like ``writeFailed``, the instance refuses appends until a retry succeeds.
        public static let noSpace = Code(rawValue: "noSpace")
        /// Reading from disk failed.
        public static let readFailed = Code(rawValue: "readFailed")
        /// A file or directory could not be opened, created, renamed or removed.
        public static let fileSystem = Code(rawValue: "fileSystem")
        /// On-disk data failed its integrity checks and could not be repaired.
        public static let corruptData = Code(rawValue: "corruptData")

        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A description for people; never contains message payloads.
    public var message: String
    /// The `errno` of the failed system call, when one failed.
    public var systemErrno: Int32?
    /// The instance's offset range at the time of the failure, for offset errors.
    public var offsets: OffsetRange?

    /// Creates an error.
    public init(code: Code, message: String, systemErrno: Int32? = nil, offsets: OffsetRange? = nil) {
        self.code = code
        self.message = message
        self.systemErrno = systemErrno
        self.offsets = offsets
    }

    /// The code, message, errno and offset range, for logs.
    public var description: String {
        var text = "StorageError(\(code)): \(message)"
        if let systemErrno { text += " (errno \(systemErrno))" }
        if let offsets { text += " [offsets \(offsets.min)..<\(offsets.max)]" }
        return text
    }
}

extension StorageError {
    static func closed(_ what: String) -> StorageError {
        StorageError(code: .closed, message: "\(what) is closed")
    }

    /// A failed system call: the message names the call, the path and the `errno` text
    /// ("no space left on device"); a write or file creation that failed for want of space gets ``Code/noSpace``.
    static func system(_ code: Code, _ operation: String, path: String, errno: Int32) -> StorageError {
        let resolved =
            (code == .writeFailed || code == .fileSystem) && (errno == ENOSPC || errno == EDQUOT) ? Code.noSpace : code
        // A read-only file system refuses every change, even removing a file that is not there:
        // name the cause, not the file it happened to meet first.
        let hint =
            errno == EROFS
            ? " (the data folder is on a read-only file system: the broker writes there to recover, flush "
                + "and keep offsets, so it needs it writable)" : ""
        return StorageError(
            code: resolved,
            message: "\(operation) \(path) failed: \(systemErrorText(errno))\(hint)",
            systemErrno: errno
        )
    }

    /// Whether this is a write failure (of any cause) that makes an instance not writable.
    public var isWriteFailure: Bool { code == .writeFailed || code == .noSpace }
}

/// The C library's text for `code`, lower-cased as `strerror` gives it ("No space left on device"
/// becomes "no space left on device").
func systemErrorText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    let string = String(cString: text)
    guard let first = string.first else { return "errno \(code)" }
    return first.lowercased() + string.dropFirst()
}
