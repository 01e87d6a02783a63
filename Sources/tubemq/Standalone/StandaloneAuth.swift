import Foundation
import TubeMQStandalone

/// `tubemq standalone --auth`: one user, `tubemq`, whose random password is kept in the data folder.
enum StandaloneAuth {
    /// The broker webapi token in `<data>/webapi.token`, created (owner-only, random) on first start.
    ///
    /// - Throws: ``DataFolderError`` when the file cannot be written.
    static func webToken(dataDirectory: String) throws(DataFolderError) -> (token: String, path: String) {
        let (token, path, _) = try DataFolder.secret(named: "webapi.token", in: dataDirectory)
        return (token, path)
    }

    /// Creates `<data>/auth/users` and `<data>/auth/password` (owner-only) unless they exist, and
    /// returns their paths.
    ///
    /// - Throws: ``DataFolderError`` when the files cannot be written.
    static func prepare(dataDirectory: String) throws -> (users: String, password: String) {
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("auth").path
        let users = folder + "/users"
        let passwordFile = folder + "/password"
        let manager = FileManager.default
        if manager.fileExists(atPath: users), manager.fileExists(atPath: passwordFile) {
            return (users, passwordFile)
        }
        let password = DataFolder.randomSecret(length: 24)
        try DataFolder.makeFolder(folder, permissions: 0o700)
        try DataFolder.writeOwnerOnly(password + "\n", to: passwordFile)
        try DataFolder.writeOwnerOnly("# tubemq users: name password [topics]\ntubemq \(password)\n", to: users)
        return (users, passwordFile)
    }
}
