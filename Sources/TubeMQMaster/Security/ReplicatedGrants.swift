import Foundation
import TubeMQZooKeeper

/// The consumer-group grants of an HA group, kept in one znode, `<zkNodeRoot>/security/grants` (JSON,
/// the same shape as `authorization.json`), so that every master enforces the same grants and a
/// change made through the active master survives a failover.
///
/// Only the active master writes, and every write is a `multi` that first checks the master's own
/// election znode (the same fence as the metadata store) and then sets the node at the version last
/// read (compare-and-set): a deposed master cannot overwrite what its successor granted.
actor ReplicatedGrants {
    let client: ZooKeeperClient
    let path: String
    let fence: String
    private(set) var controls: [String: TopicGrants.Control]
    private var version: Int32

    private init(client: ZooKeeperClient, path: String, fence: String, controls: [String: TopicGrants.Control], version: Int32) {
        self.client = client
        self.path = path
        self.fence = fence
        self.controls = controls
        self.version = version
    }

    /// The grants znode under `root`.
    static func path(root: String) -> String {
        (root == "/" ? "" : (root.hasSuffix("/") ? String(root.dropLast()) : root)) + "/security/grants"
    }

    /// Reads the grants znode, creating it with `seed` (this master's grants file) when the group has
    /// none yet: the first master to lead brings its file's grants into ZooKeeper once.
    ///
    /// - Throws: ``UserDirectoryError`` when ZooKeeper fails or the znode does not hold valid grants.
    static func open(
        client: ZooKeeperClient,
        root: String,
        fence: String,
        seed: [String: TopicGrants.Control]
    ) async throws(UserDirectoryError) -> ReplicatedGrants {
        let path = Self.path(root: root)
        let parent = String(path.dropLast("/grants".count))
        do {
            try await client.create(parent)
        } catch {
            guard error.code == .nodeExists else {
                throw UserDirectoryError(message: "cannot create the znode \(parent): \(error)")
            }
        }
        let existing: NodeData?
        do {
            existing = try await client.getData(path)
        } catch {
            guard error.code == .noNode else {
                throw UserDirectoryError(message: "cannot read the grants znode \(path): \(error)")
            }
            existing = nil
        }
        if let existing {
            let controls = try decode(existing.data, at: path)
            return ReplicatedGrants(client: client, path: path, fence: fence, controls: controls, version: existing.stat.version)
        }
        let bytes = try encode(seed)
        do {
            _ = try await client.multi([.check(fence, version: -1), .create(path, data: bytes)])
        } catch {
            throw UserDirectoryError(message: "cannot create the grants znode \(path): \(error)")
        }
        return ReplicatedGrants(client: client, path: path, fence: fence, controls: seed, version: 0)
    }

    /// Applies `change` to the grants and writes them, fenced; on a version conflict (another writer
    /// got in between) re-reads once and tries again. Returns the grants now stored.
    ///
    /// - Throws: ``UserDirectoryError`` when this master is no longer the active one or ZooKeeper fails.
    func update(
        _ change: @Sendable ([String: TopicGrants.Control]) -> [String: TopicGrants.Control]
    ) async throws(UserDirectoryError) -> [String: TopicGrants.Control] {
        var retried = false
        while true {
            let next = change(controls)
            let bytes = try Self.encode(next)
            let failure: ZooKeeperError
            do {
                let results = try await client.multi([.check(fence, version: -1), .setData(path, data: bytes, version: version)])
                if case .dataSet(let stat) = results.last { version = stat.version } else { version += 1 }
                controls = next
                return next
            } catch {
                failure = error
            }
            if failure.failedOperationIndex == 0 || failure.code == .sessionExpired {
                throw UserDirectoryError(message: "grants not changed: this master is no longer the active one")
            }
            guard failure.code == .badVersion, !retried else {
                throw UserDirectoryError(message: "grants not changed: cannot write the znode \(path): \(failure)")
            }
            // Another writer got in between: start again from what the znode holds now.
            retried = true
            do {
                let node = try await client.getData(path)
                controls = try Self.decode(node.data, at: path)
                version = node.stat.version
            } catch {
                throw UserDirectoryError(message: "grants not changed: cannot read the znode \(path): \(error)")
            }
        }
    }

    static func encode(_ controls: [String: TopicGrants.Control]) throws(UserDirectoryError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(controls) else { throw UserDirectoryError(message: "cannot encode the grants") }
        return Array(data)
    }

    static func decode(_ bytes: [UInt8], at path: String) throws(UserDirectoryError) -> [String: TopicGrants.Control] {
        guard let controls = try? JSONDecoder().decode([String: TopicGrants.Control].self, from: Data(bytes)) else {
            throw UserDirectoryError(message: "the znode \(path) does not hold valid grants")
        }
        return controls
    }
}
