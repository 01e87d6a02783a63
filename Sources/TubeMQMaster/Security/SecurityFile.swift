import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a small security file (users, grants) in one `rename(2)`, readable by its owner only.
enum SecurityFile {
    /// Writes `data` to a temporary file beside `path`, then renames it over `path`.
    ///
    /// - Throws: ``UserDirectoryError`` naming the file (never its content).
    static func replace(_ path: String, with data: Data) throws(UserDirectoryError) {
        let temporary = path + ".tmp"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw UserDirectoryError(message: "cannot write \(temporary): \(error)")
        }
        _ = chmod(temporary, 0o600)
        guard rename(temporary, path) == 0 else {
            throw UserDirectoryError(message: "cannot rename \(temporary) to \(path): errno \(errno)")
        }
    }
}
