import Foundation
import TubeMQZooKeeper

/// A security document of an HA group (the consumer-group grants, the users), kept as JSON in one
/// znode under `<zkNodeRoot>/security/`, so that every master enforces the same one and a change made
/// through the active master survives a failover.
///
/// Only the active master writes, and every write is a `multi` that first checks the master's own
/// election znode (the same fence as the metadata store) and then sets the node at the version last
/// read (compare-and-set): a deposed master cannot overwrite what its successor wrote.
actor ReplicatedDocument<Value: Codable & Sendable> {
    let client: ZooKeeperClient
    let path: String
    let fence: String
    private(set) var value: Value
    private var version: Int32

    private init(client: ZooKeeperClient, path: String, fence: String, value: Value, version: Int32) {
        self.client = client
        self.path = path
        self.fence = fence
        self.value = value
        self.version = version
    }

    /// The znode `security/<name>` under `root`.
    static func path(root: String, name: String) -> String {
        (root == "/" ? "" : (root.hasSuffix("/") ? String(root.dropLast()) : root)) + "/security/" + name
    }

    /// Reads the znode `security/<name>`, creating it with `seed` (this master's own file) when the
    /// group has none yet: the first master to lead brings its file into ZooKeeper once.
    ///
    /// - Throws: ``UserDirectoryError`` when ZooKeeper fails or the znode does not hold a valid document.
    static func open(
        client: ZooKeeperClient,
        root: String,
        name: String,
        fence: String,
        acl: [ACL] = ACL.openUnsafe,
        seed: Value
    ) async throws(UserDirectoryError) -> ReplicatedDocument {
        let path = Self.path(root: root, name: name)
        let parent = String(path.dropLast(name.count + 1))
        do {
            try await client.create(parent, acl: acl)
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
                let hint = error.code == .noAuth ? " (set the same zkAuthDigest on every master of the group)" : ""
                throw UserDirectoryError(message: "cannot read the znode \(path): \(error)\(hint)")
            }
            existing = nil
        }
        if let existing {
            let value = try decode(existing.data, at: path)
            return ReplicatedDocument(
                client: client,
                path: path,
                fence: fence,
                value: value,
                version: existing.stat.version
            )
        }
        let bytes = try encode(seed)
        do {
            _ = try await client.multi([
                .check(fence, version: -1), .create(path, data: bytes, mode: .persistent, acl: acl),
            ])
        } catch {
            throw UserDirectoryError(message: "cannot create the znode \(path): \(error)")
        }
        return ReplicatedDocument(client: client, path: path, fence: fence, value: seed, version: 0)
    }

    /// Applies `change` to the document and writes it, fenced; on a version conflict (another writer
    /// got in between) re-reads once and tries again. Returns the document now stored and what
    /// `change` returned for it.
    ///
    /// - Throws: ``UserDirectoryError`` when this master is no longer the active one or ZooKeeper fails.
    func update<Result: Sendable>(
        _ change: @Sendable (inout Value) -> Result
    ) async throws(UserDirectoryError) -> (value: Value, result: Result) {
        var retried = false
        while true {
            var next = value
            let result = change(&next)
            let bytes = try Self.encode(next)
            let failure: ZooKeeperError
            do {
                let results = try await client.multi([
                    .check(fence, version: -1), .setData(path, data: bytes, version: version),
                ])
                if case .dataSet(let stat) = results.last { version = stat.version } else { version += 1 }
                value = next
                return (next, result)
            } catch {
                failure = error
            }
            if failure.failedOperationIndex == 0 || failure.code == .sessionExpired {
                throw UserDirectoryError(message: "not changed: this master is no longer the active one")
            }
            guard failure.code == .badVersion, !retried else {
                throw UserDirectoryError(message: "not changed: cannot write the znode \(path): \(failure)")
            }
            // Another writer got in between: start again from what the znode holds now.
            retried = true
            do {
                let node = try await client.getData(path)
                value = try Self.decode(node.data, at: path)
                version = node.stat.version
            } catch {
                throw UserDirectoryError(message: "not changed: cannot read the znode \(path): \(error)")
            }
        }
    }

    static func encode(_ value: Value) throws(UserDirectoryError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else {
            throw UserDirectoryError(message: "cannot encode \(Value.self)")
        }
        return Array(data)
    }

    static func decode(_ bytes: [UInt8], at path: String) throws(UserDirectoryError) -> Value {
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(bytes)) else {
            throw UserDirectoryError(message: "the znode \(path) does not hold a valid document")
        }
        return value
    }
}
