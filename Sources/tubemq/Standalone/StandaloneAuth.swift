import ArgumentParser
import Foundation

/// `tubemq standalone --auth`: one user, `tubemq`, whose random password is kept in the data folder.
enum StandaloneAuth {
    /// The broker webapi token in `<data>/webapi.token`, created (owner-only, random) on first start.
    ///
    /// - Throws: ``StandaloneFileError`` when the file cannot be written.
    static func webToken(dataDirectory: String) throws -> (token: String, path: String) {
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("webapi.token").path
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return (token, path) }
        }
        let token = randomSecret(length: 32)
        try makeFolder(dataDirectory, permissions: 0o755)
        try writeOwnerOnly(token + "\n", to: path)
        return (token, path)
    }

    /// Letters and digits from the system's random source.
    static func randomSecret(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Creates `<data>/auth/users` and `<data>/auth/password` (owner-only) unless they exist, and
    /// returns their paths.
    ///
    /// - Throws: ``StandaloneFileError`` when the files cannot be written.
    static func prepare(dataDirectory: String) throws -> (users: String, password: String) {
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("auth").path
        let users = folder + "/users"
        let passwordFile = folder + "/password"
        let manager = FileManager.default
        if manager.fileExists(atPath: users), manager.fileExists(atPath: passwordFile) {
            return (users, passwordFile)
        }
        let password = randomSecret(length: 24)
        try makeFolder(folder, permissions: 0o700)
        try writeOwnerOnly(password + "\n", to: passwordFile)
        try writeOwnerOnly("# tubemq users: name password [topics]\ntubemq \(password)\n", to: users)
        return (users, passwordFile)
    }

    /// Creates `folder` (and its parents) when missing.
    ///
    /// - Throws: ``StandaloneFileError`` naming the folder and the reason.
    static func makeFolder(_ folder: String, permissions: Int) throws(StandaloneFileError) {
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
            throw StandaloneFileError("cannot create the folder \(folder): \(reason)")
        }
    }

    /// Writes `text` to `path`, readable by its owner only.
    ///
    /// - Throws: ``StandaloneFileError`` naming the file and the reason (permission denied, not a
    ///   folder, disk full).
    static func writeOwnerOnly(_ text: String, to path: String) throws(StandaloneFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw StandaloneFileError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw StandaloneFileError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// A file of the standalone's data folder could not be made: the command stops with status 1 (not a
/// usage error), naming the file and why.
struct StandaloneFileError: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    init(_ description: String) { self.description = description }
}
