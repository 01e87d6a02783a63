import ArgumentParser
import Foundation

/// `tubemq standalone --auth`: one user, `tubemq`, whose random password is kept in the data folder.
enum StandaloneAuth {
    /// The broker webapi token in `<data>/webapi.token`, created (owner-only, random) on first start.
    ///
    /// - Throws: `ValidationError` when the file cannot be read or written.
    static func webToken(dataDirectory: String) throws -> (token: String, path: String) {
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("webapi.token").path
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return (token, path) }
        }
        let token = randomSecret(length: 32)
        try? FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        guard
            FileManager.default.createFile(
                atPath: path,
                contents: Data((token + "\n").utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw ValidationError("cannot write \(path)") }
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
    /// - Throws: `ValidationError` when the files cannot be written.
    static func prepare(dataDirectory: String) throws -> (users: String, password: String) {
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("auth").path
        let users = folder + "/users"
        let passwordFile = folder + "/password"
        let manager = FileManager.default
        if manager.fileExists(atPath: users), manager.fileExists(atPath: passwordFile) {
            return (users, passwordFile)
        }
        let password = randomSecret(length: 24)
        let owner: [FileAttributeKey: Any] = [.posixPermissions: 0o600]
        do {
            try manager.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [
                    .posixPermissions: 0o700
                ]
            )
            guard manager.createFile(atPath: passwordFile, contents: Data((password + "\n").utf8), attributes: owner),
                manager.createFile(
                    atPath: users,
                    contents: Data("# tubemq users: name password [topics]\ntubemq \(password)\n".utf8),
                    attributes: owner
                )
            else { throw ValidationError("cannot write the auth files in \(folder)") }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("cannot create \(folder): \(error)")
        }
        return (users, passwordFile)
    }
}
