import Foundation

/// The users the master authenticates, read from and written back to the users file.
///
/// File format, one user a line, fields separated by blanks (`#` starts a comment):
///
/// ```
/// # name   password   topics the user may publish (comma-separated; "*" or nothing: every topic)
/// alice    s3cret     demo,orders
/// ```
///
/// Passwords are kept in memory only to check signatures (HMAC needs the key) and are never logged
/// nor returned by any query.
public final class UserDirectory: Sendable {
    /// One user.
    public struct User: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The user name.
        public var name: String
        /// The password, the HMAC key of the user's signatures.
        public var password: String
        /// The topics the user may publish to; `nil` means every topic.
        public var publishTopics: Set<String>?

        /// Creates a user.
        public init(name: String, password: String, publishTopics: Set<String>? = nil) {
            self.name = name
            self.password = password
            self.publishTopics = publishTopics
        }

        /// The name and topics only: a user printed or logged never shows its password.
        public var description: String {
            "User(name: \(name), publishTopics: \(publishTopics.map { $0.sorted().description } ?? "*"))"
        }
    }

    private let path: String?
    /// The users by name, and where their changes go.
    let document: SecurityDocument<[String: User]>

    /// Opens the users file at `path` (missing: no users yet), or an in-memory directory.
    ///
    /// - Throws: ``UserDirectoryError`` when the file exists but cannot be read or a line is malformed.
    public init(path: String?) throws(UserDirectoryError) {
        self.path = path
        var loaded: [String: User] = [:]
        if let path, FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw UserDirectoryError(message: "cannot read the users file \(path)")
            }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
                if fields.isEmpty { continue }
                guard fields.count == 2 || fields.count == 3 else {
                    throw UserDirectoryError(
                        message: "\(path) line \(number + 1): expected `name password [topics]`"
                    )
                }
                let topics = fields.count == 3 ? Self.topics(fields[2]) : nil
                loaded[fields[0]] = User(name: fields[0], password: fields[1], publishTopics: topics)
            }
        }
        self.document = SecurityDocument(loaded)
    }

    /// An in-memory directory holding `users`.
    public init(users: [User]) {
        self.path = nil
        self.document = SecurityDocument(Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { $1 }))
    }

    /// The user called `name`, if any.
    public func user(_ name: String) -> User? {
        document.read { $0[name] }
    }

    /// The user names, sorted (never the passwords).
    public var names: [String] {
        document.read { $0.keys.sorted() }
    }

    /// Every user, by name (with the passwords: for the HA group's replicated copy only).
    var all: [String: User] { document.value }

    /// Adds or replaces `user` and rewrites the file (in an HA group: the users znode).
    ///
    /// - Throws: ``UserDirectoryError`` when the name or password is not valid, the file or znode
    ///   cannot be written (a file change is kept in memory), or this master is a standby.
    public func upsert(_ user: User) async throws(UserDirectoryError) {
        // Printable ASCII without blanks or '#': the users file is `name password [topics]` per line.
        guard !user.name.isEmpty, !user.password.isEmpty,
            (user.name + user.password).unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != "#" })
        else {
            throw UserDirectoryError(
                message:
                    "user name and password must be non-blank printable ASCII, without blanks, control characters or '#'"
            )
        }
        // The users file is `name password [topic,topic]` per line: a topic must not break the line.
        guard
            (user.publishTopics ?? []).allSatisfy({ topic in
                topic.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "*" }
            })
        else {
            throw UserDirectoryError(message: "topic names are letters, digits and '_'")
        }
        try await change { users in users[user.name] = user }
    }

    /// Removes the user called `name`; `false` when there was none.
    ///
    /// - Throws: ``UserDirectoryError`` when the file or znode cannot be written, or this master is
    ///   a standby.
    @discardableResult
    public func remove(_ name: String) async throws(UserDirectoryError) -> Bool {
        try await change { users in users.removeValue(forKey: name) != nil }
    }

    /// Applies `edit` where the users are kept; returns what `edit` returned.
    private func change<Result: Sendable>(
        _ edit: @escaping @Sendable (inout [String: User]) -> Result
    ) async throws(UserDirectoryError) -> Result {
        try await document.change("users", edit) { users throws(UserDirectoryError) in try save(Array(users.values)) }
    }

    private func save(_ snapshot: [User]) throws(UserDirectoryError) {
        guard let path else { return }
        var text = "# tubemq users: name password [topics the user may publish, comma-separated; * = all]\n"
        for user in snapshot.sorted(by: { $0.name < $1.name }) {
            text += "\(user.name) \(user.password)"
            if let topics = user.publishTopics { text += " " + topics.sorted().joined(separator: ",") }
            text += "\n"
        }
        try SecurityFile.replace(path, with: Data(text.utf8))
    }

    private static func topics(_ field: String) -> Set<String>? {
        if field == "*" { return nil }
        return Set(field.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}

/// A users file that cannot be read or written.
public struct UserDirectoryError: Error, Sendable, CustomStringConvertible {
    /// What went wrong (never a password).
    public var message: String
    public var description: String { message }
}
