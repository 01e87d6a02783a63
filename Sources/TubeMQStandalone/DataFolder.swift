import Foundation

/// The files a server keeps in its data folder besides its data: secrets made on first start (the
/// broker webapi token, the standalone's password), readable by their owner only. Errors name the
/// file and the system's reason.
public enum DataFolder {
    /// The secret in `folder/name`, or a new random one written there (owner-only) when the file is
    /// missing or empty.
    ///
    /// - Returns: the secret, the file's path, and whether it was created now.
    /// - Throws: ``DataFolderError`` when the folder or the file cannot be made.
    public static func secret(
        named name: String,
        in folder: String,
        length: Int = 32
    ) throws(DataFolderError) -> (secret: String, path: String, created: Bool) {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !secret.isEmpty { return (secret, path, false) }
        }
        let secret = randomSecret(length: length)
        try makeFolder(folder, permissions: 0o755)
        try writeOwnerOnly(secret + "\n", to: path)
        return (secret, path, true)
    }

    /// Letters and digits from the system's random source.
    public static func randomSecret(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Creates `folder` (and its parents) when missing.
    ///
    /// - Throws: ``DataFolderError`` naming the folder and the reason.
    public static func makeFolder(_ folder: String, permissions: Int) throws(DataFolderError) {
        do {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: permissions]
            )
        } catch {
            // Foundation's error has no useful text here ("error 512"): the system's reason is the
            // one of the deepest folder that cannot be made.
            var reason = "\(error.localizedDescription)"
            var path = folder.hasPrefix("/") ? "/" : ""
            for part in folder.split(separator: "/") {
                path += (path.isEmpty || path == "/" ? "" : "/") + part
                if mkdir(path, 0o755) != 0 && errno != EEXIST {
                    reason = "\(path): \(String(cString: strerror(errno)))"
                    break
                }
                var info = stat()
                if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
                    reason = "\(path) is not a folder"
                    break
                }
            }
            throw DataFolderError("cannot create the folder \(folder): \(reason)")
        }
    }

    /// Writes `text` to `path`, readable by its owner only.
    ///
    /// - Throws: ``DataFolderError`` naming the file and the reason (permission denied, not a
    ///   folder, disk full).
    public static func writeOwnerOnly(_ text: String, to path: String) throws(DataFolderError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw DataFolderError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw DataFolderError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// A file or folder of a server's data folder could not be made: the command stops with status 1
/// (not a usage error), naming it and why.
public struct DataFolderError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}
