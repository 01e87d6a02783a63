import Foundation
import SystemPackage

/// Offset backups (TubeMQ's `admin_backup_group_offsets`): a file written under the data directory.
extension BrokerServer {
    /// The folder of the data directory that offset backups go to.
    public static let offsetBackupFolder = "offset-backups"
    /// The name of a backup file, as TubeMQ names its offset file.
    public static let offsetBackupFile = "offsets.meta"

    /// Writes `contents` to `<dataDirectory>/offset-backups/<folder>/offsets.meta`, replacing a file
    /// of that name whole (written to a temporary file, then renamed into place).
    ///
    /// - Parameter folder: a relative folder of letters, digits, `_`, `-` and `.` components, none of
    ///   them `.` or `..`, at most 128 characters: a backup never leaves the data directory.
    /// - Returns: the path of the file written.
    /// - Throws: ``BrokerAdminError`` ``BrokerAdminError/Code/illegalValue`` for another folder,
    ///   ``BrokerAdminError/Code/fileFailed`` when the file cannot be written.
    public func writeOffsetBackup(_ contents: String, folder: String) throws(BrokerAdminError) -> String {
        let components = folder.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        guard folder.count <= 128,
            components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && $0.allSatisfy(allowed.contains) })
        else {
            throw BrokerAdminError(
                code: .illegalValue,
                message: "backup folder \(folder) must be relative to the data directory's \(Self.offsetBackupFolder)"
                    + " folder: names of letters, digits, '_', '-' and '.' separated by '/', no '.' or '..'"
            )
        }
        let root = configuration.dataDirectory.appending(Self.offsetBackupFolder)
        let directory = root.appending(folder)
        let file = directory.appending(Self.offsetBackupFile)
        do {
            try FileManager.default.createDirectory(atPath: directory.string, withIntermediateDirectories: true)
            // A symbolic link inside the backup folder must not carry the file out of it.
            let resolvedRoot = URL(fileURLWithPath: root.string).resolvingSymlinksInPath().path
            let resolved = URL(fileURLWithPath: directory.string).resolvingSymlinksInPath().path
            guard resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot + "/") else {
                throw BrokerAdminError(
                    code: .illegalValue,
                    message: "backup folder \(folder) leads out of \(root.string) through a symbolic link"
                )
            }
            try Data(contents.utf8).write(to: URL(fileURLWithPath: file.string), options: .atomic)
        } catch let error as BrokerAdminError {
            throw error
        } catch {
            throw BrokerAdminError(code: .fileFailed, message: "cannot write \(file.string): \(error)")
        }
        return file.string
    }
}
