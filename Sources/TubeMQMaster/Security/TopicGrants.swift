import Foundation
import Synchronization

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
    private let controls: Mutex<[String: Control]>
    /// Where changes go in an HA group.
    private let replication = Mutex(SecurityReplication<[String: Control]>.local)

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
        self.controls = Mutex(loaded)
    }

    /// Grants kept in memory only, nothing granted yet.
    public init() {
        self.path = nil
        self.controls = Mutex([:])
    }

    /// Every topic's control, by topic.
    public var all: [String: Control] {
        controls.withLock { $0 }
    }

    /// The control of `topic`, if any.
    public func control(_ topic: String) -> Control? {
        controls.withLock { $0[topic] }
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
        let apply: @Sendable ([String: Control]) -> [String: Control] = { current in
            var controls = current
            var control = controls[topic] ?? Control()
            change(&control)
            if !control.isEnabled && control.groups.isEmpty {
                controls.removeValue(forKey: topic)
            } else {
                controls[topic] = control
            }
            return controls
        }
        switch replication.withLock({ $0 }) {
        case .standby:
            throw UserDirectoryError(
                message: "grants not changed: this master is a standby; change them on the active master"
            )
        case .zooKeeper(let replica):
            let stored = try await replica.update(apply)
            controls.withLock { $0 = stored }
            return
        case .local:
            break
        }
        let snapshot = controls.withLock { controls -> [String: Control] in
            controls = apply(controls)
            return controls
        }
        guard let path else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(snapshot) else {
            throw UserDirectoryError(message: "cannot encode the grants")
        }
        try SecurityFile.replace(path, with: data)
    }

    /// Takes the grants an HA group keeps in ZooKeeper (this master has become the active one):
    /// they replace what is held here, and later changes are written there.
    func useReplica(_ replica: ReplicatedDocument<[String: Control]>) async {
        let stored = await replica.value
        controls.withLock { $0 = stored }
        replication.withLock { $0 = .zooKeeper(replica) }
    }

    /// Refuses changes from now on (this master is a standby of an HA group).
    func becomeStandby() {
        replication.withLock { $0 = .standby }
    }

    /// The topics of `topics` that `group` may not consume.
    public func refusedTopics(group: String, topics: some Sequence<String>) -> [String] {
        controls.withLock { controls in
            topics.filter { topic in
                guard let control = controls[topic], control.isEnabled else { return false }
                return !control.groups.contains(group)
            }
        }
    }
}
