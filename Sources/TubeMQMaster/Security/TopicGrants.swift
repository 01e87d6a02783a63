import Foundation

/// Consumer-group authorisation (admin-api.md §5.5): topics under authorisation control and the
/// groups allowed on them, kept in a small JSON file beside the metadata.
public final class TopicGrants: Sendable {
    /// The grants of one topic.
    public struct Control: Sendable, Hashable, Codable {
        /// Authorisation control is on: only `groups` may consume the topic.
        public var isEnabled: Bool
        /// The allowed consumer groups.
        public var groups: Set<String>

        /// Creates a control.
        public init(isEnabled: Bool = false, groups: Set<String> = []) {
            self.isEnabled = isEnabled
            self.groups = groups
        }
    }

    private let path: String?
    /// The controls by topic, and where their changes go.
    let document: SecurityDocument<[String: Control]>

    /// Opens the grants file at `path` (missing: no grants), or keeps them in memory.
    ///
    /// - Throws: ``UserDirectoryError`` when the file exists but is not valid.
    public init(path: String?) throws(UserDirectoryError) {
        self.path = path
        var loaded: [String: Control] = [:]
        if let path, let data = FileManager.default.contents(atPath: path) {
            guard let decoded = try? JSONDecoder().decode([String: Control].self, from: data) else {
                throw UserDirectoryError(message: "cannot parse the grants file \(path)")
            }
            loaded = decoded
        }
        self.document = SecurityDocument(loaded)
    }

    /// Grants kept in memory only, nothing granted yet.
    public init() {
        self.path = nil
        self.document = SecurityDocument([:])
    }

    /// Every topic's control, by topic.
    public var all: [String: Control] { document.value }

    /// The control of `topic`, if any.
    public func control(_ topic: String) -> Control? {
        document.read { $0[topic] }
    }

    /// Changes the control of `topic` and saves; a control left disabled and empty is removed.
    ///
    /// In an HA group the change is written to ZooKeeper first (by the active master only) and takes
    /// effect here once stored.
    ///
    /// - Throws: ``UserDirectoryError`` when the file or the znode cannot be written, or this master
    ///   is a standby.
    public func update(
        _ topic: String,
        _ change: @escaping @Sendable (inout Control) -> Void
    ) async throws(UserDirectoryError) {
        let path = self.path
        try await document.change("grants") { controls in
            var control = controls[topic] ?? Control()
            change(&control)
            if !control.isEnabled && control.groups.isEmpty {
                controls.removeValue(forKey: topic)
            } else {
                controls[topic] = control
            }
        } saveLocally: { controls throws(UserDirectoryError) in
            guard let path else { return }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            guard let data = try? encoder.encode(controls) else {
                throw UserDirectoryError(message: "cannot encode the grants")
            }
            try SecurityFile.replace(path, with: data)
        }
    }

    /// The topics of `topics` that `group` may not consume.
    public func refusedTopics(group: String, topics: some Sequence<String>) -> [String] {
        document.read { controls in
            topics.filter { topic in
                guard let control = controls[topic], control.isEnabled else { return false }
                return !control.groups.contains(group)
            }
        }
    }
}
