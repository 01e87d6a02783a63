/// `[broker] io` (our addition): the kernel interface the storage engine uses to write and sync data.
public enum StorageIOBackend: String, Sendable, Hashable, CaseIterable {
    /// io_uring (the default); the storage engine falls back to ``posix`` at run time if it is unavailable.
    case uring
    /// Plain `pwritev` and `fdatasync` calls.
    case posix

    /// Parses `uring` or `posix`, ignoring letter case.
    public init?(configValue: String) {
        self.init(rawValue: configValue.lowercased())
    }
}
