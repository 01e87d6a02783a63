import Foundation
public import TubeMQMasterState
public import TubeMQZooKeeper

/// The replicated ``MetadataStore``: every record in its own versioned znode under a root, shared by
/// every master of the cluster (master.ini `[meta_zookeeper]`; see `docs/master-ha.md`).
///
/// Layout under `root` (`zkNodeRoot`, default `/tubemq`):
/// * `meta/cluster`: the cluster defaults and the last rebalance id (JSON);
/// * `meta/brokers/<brokerId>`, `meta/topics/<topicName>` (with its deployments),
///   `meta/groups/<groupName>`: one record each (JSON).
///
/// Every write is one `multi` that starts with `check(fence, -1)`: the active master's own election
/// znode. A master whose session expired has lost that ephemeral node, so its writes fail with
/// ``MetadataStoreError/Code/fenced`` and never clobber the state of the master elected after it.
/// Only the records that changed since the last write are sent, each with the version it was read or
/// written at (compare-and-set).
public actor ZooKeeperMetadataStore: MetadataStore {
    /// The session the store reads and writes with.
    public nonisolated let client: ZooKeeperClient
    /// The root znode (`zkNodeRoot`).
    public nonisolated let root: String
    /// The election znode every write checks; `nil` refuses writes.
    public private(set) var fence: String?
    private var written: [String: StoredNode] = [:]
    private var lastVersion: UInt64 = 0
    private var closed = false

    struct StoredNode {
        var bytes: [UInt8]
        var version: Int32
    }

    /// Creates a store over `client` under `root`, writing only while `fence` exists.
    public init(client: ZooKeeperClient, root: String, fence: String? = nil) {
        self.client = client
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.fence = fence
    }

    var metaPath: String { (root == "/" ? "" : root) + "/meta" }
    var clusterPath: String { metaPath + "/cluster" }
    var brokersPath: String { metaPath + "/brokers" }
    var topicsPath: String { metaPath + "/topics" }
    var groupsPath: String { metaPath + "/groups" }

    /// Sets the election znode that guards every later write.
    public func setFence(_ path: String?) {
        fence = path
    }

    /// Creates the root and the record parents if they are missing (persistent, idempotent).
    ///
    /// - Throws: ``MetadataStoreError`` `.io` when ZooKeeper fails.
    public func ensureLayout() async throws(MetadataStoreError) {
        var prefix = ""
        let parts = metaPath.split(separator: "/")
        for part in parts {
            prefix += "/" + part
            try await createIfMissing(prefix)
        }
        for path in [brokersPath, topicsPath, groupsPath] { try await createIfMissing(path) }
    }

    private func createIfMissing(_ path: String) async throws(MetadataStoreError) {
        do {
            try await client.create(path)
        } catch  where error.code == .nodeExists {
            return
        } catch {
            throw MetadataStoreError(.io, "cannot create znode \(path)", underlying: error)
        }
    }

    /// Reads every record (after a `sync`, so the latest committed state is seen), or `nil` when the
    /// root holds none yet.
    ///
    /// - Throws: ``MetadataStoreError`` `.corrupt` naming the znode that cannot be decoded, `.io` when
    ///   ZooKeeper fails, `.closed` after ``close()``.
    public func load() async throws(MetadataStoreError) -> MasterSnapshot? {
        try await loadRecords(watching: false).snapshot
    }

    /// ``load()``, with one-shot watches on everything read (the record lists, every record, the
    /// cluster node): one of them fires when the metadata changes. A standby keeps its copy current
    /// with it.
    ///
    /// - Throws: as ``load()``.
    public func loadAndWatch() async throws(MetadataStoreError) -> (snapshot: MasterSnapshot?, watches: [Watch]) {
        try await loadRecords(watching: true)
    }

    private func loadRecords(
        watching: Bool
    ) async throws(MetadataStoreError) -> (snapshot: MasterSnapshot?, watches: [Watch]) {
        guard !closed else { throw MetadataStoreError(.closed, "the ZooKeeper store at \(root) is closed") }
        try await ensureLayout()
        do {
            try await client.sync(metaPath)
        } catch {
            throw MetadataStoreError(.io, "cannot sync \(metaPath)", underlying: error)
        }
        var watches: [Watch]? = watching ? [] : nil
        var nodes: [String: StoredNode] = [:]
        var snapshot = MasterSnapshot()
        var found = false
        if let cluster = try await read(clusterPath, watches: &watches) {
            let record: ClusterNode = try decode(cluster.bytes, at: clusterPath)
            snapshot.cluster = record.cluster
            snapshot.lastRebalanceID = record.lastRebalanceID
            nodes[clusterPath] = cluster
            found = true
        }
        for (parent, kind) in [(brokersPath, 0), (topicsPath, 1), (groupsPath, 2)] {
            for name in try await children(parent, watches: &watches).sorted() {
                let path = parent + "/" + name
                guard let node = try await read(path, watches: &watches) else { continue }
                nodes[path] = node
                found = true
                switch kind {
                case 0: snapshot.brokers.append(try decode(node.bytes, at: path))
                case 1: snapshot.topics.append(try decode(node.bytes, at: path))
                default: snapshot.groups.append(try decode(node.bytes, at: path))
                }
            }
        }
        snapshot.brokers.sort { $0.id < $1.id }
        written = nodes
        lastVersion = 0  // a new master run numbers its changes from 1 again
        return (found ? snapshot : nil, watches ?? [])
    }

    /// Writes the records of `change.snapshot` that differ from what this store last read or wrote,
    /// in one `multi` fenced by the election znode.
    ///
    /// - Throws: ``MetadataStoreError`` `.fenced` when the election znode is gone (this master is no
    ///   longer the active one) or no fence is set, `.conflict` when a record changed under it,
    ///   `.io` when ZooKeeper fails, `.closed` after ``close()``.
    public func persist(_ change: MetadataChange) async throws(MetadataStoreError) {
        guard !closed else { throw MetadataStoreError(.closed, "the ZooKeeper store at \(root) is closed") }
        guard change.version > lastVersion else { return }
        guard let fence else { throw MetadataStoreError(.fenced, "this master is not the active one: writes refused") }
        let desired = try encode(change.snapshot)
        var operations: [MultiOperation] = [.check(fence, version: -1)]
        var pending: [(path: String, bytes: [UInt8]?)] = []
        for (path, bytes) in desired.sorted(by: { $0.key < $1.key }) {
            if let old = written[path] {
                guard old.bytes != bytes else { continue }
                operations.append(.setData(path, data: bytes, version: old.version))
            } else {
                operations.append(.create(path, data: bytes))
            }
            pending.append((path, bytes))
        }
        for (path, old) in written where desired[path] == nil {
            operations.append(.delete(path, version: old.version))
            pending.append((path, nil))
        }
        guard operations.count > 1 else {
            lastVersion = change.version
            return
        }
        let results: [MultiResult]
        do {
            results = try await client.multi(operations)
        } catch {
            if error.failedOperationIndex == 0 || error.code == .sessionExpired {
                throw MetadataStoreError(
                    .fenced,
                    "write refused: the election znode \(fence) is gone",
                    underlying: error
                )
            }
            // A record changed under us (or the outcome is unknown): re-read the versions next time.
            await refreshVersions()
            throw MetadataStoreError(.conflict, "metadata write failed", underlying: error)
        }
        for (index, item) in pending.enumerated() {
            let result = results[index + 1]
            switch (item.bytes, result) {
            case (let bytes?, .dataSet(let stat)): written[item.path] = StoredNode(bytes: bytes, version: stat.version)
            case (let bytes?, _): written[item.path] = StoredNode(bytes: bytes, version: 0)
            case (nil, _): written[item.path] = nil
            }
        }
        lastVersion = change.version
    }

    /// Marks the store closed; the ZooKeeper session belongs to the caller and stays open.
    public func close() async throws(MetadataStoreError) {
        closed = true
    }

    private func refreshVersions() async {
        var refreshed: [String: StoredNode] = [:]
        for path in written.keys {
            if let node = try? await read(path) { refreshed[path] = node }
        }
        written = refreshed
    }

    // MARK: znode plumbing

    private func read(_ path: String) async throws(MetadataStoreError) -> StoredNode? {
        var none: [Watch]? = nil
        return try await read(path, watches: &none)
    }

    /// The node's data and version, or `nil` when it does not exist; with `watches`, a watch on it
    /// (on its creation when it does not exist) is appended.
    private func read(_ path: String, watches: inout [Watch]?) async throws(MetadataStoreError) -> StoredNode? {
        do {
            if watches != nil {
                guard try await client.exists(path) != nil else {
                    watches?.append(try await client.existsAndWatch(path).watch)
                    return nil
                }
                let (node, watch) = try await client.getDataAndWatch(path)
                watches?.append(watch)
                return StoredNode(bytes: node.data, version: node.stat.version)
            }
            let node = try await client.getData(path)
            return StoredNode(bytes: node.data, version: node.stat.version)
        } catch  where error.code == .noNode {
            return nil
        } catch {
            throw MetadataStoreError(.io, "cannot read znode \(path)", underlying: error)
        }
    }

    private func children(_ path: String, watches: inout [Watch]?) async throws(MetadataStoreError) -> [String] {
        do {
            if watches != nil {
                let (children, watch) = try await client.getChildrenAndWatch(path)
                watches?.append(watch)
                return children.names
            }
            return try await client.getChildren(path).names
        } catch  where error.code == .noNode {
            return []
        } catch {
            throw MetadataStoreError(.io, "cannot list znode \(path)", underlying: error)
        }
    }

    private func decode<Record: Decodable>(_ bytes: [UInt8], at path: String) throws(MetadataStoreError) -> Record {
        do {
            return try JSONDecoder().decode(Record.self, from: Data(bytes))
        } catch {
            throw MetadataStoreError(
                .corrupt,
                "znode \(path) does not hold a valid \(Record.self) record",
                underlying: error
            )
        }
    }

    /// The znodes `snapshot` is stored as: path → JSON bytes.
    func encode(_ snapshot: MasterSnapshot) throws(MetadataStoreError) -> [String: [UInt8]] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func bytes(_ value: some Encodable) throws(MetadataStoreError) -> [UInt8] {
            do {
                return Array(try encoder.encode(value))
            } catch {
                throw MetadataStoreError(.io, "cannot encode a metadata record", underlying: error)
            }
        }
        var nodes: [String: [UInt8]] = [:]
        nodes[clusterPath] = try bytes(
            ClusterNode(cluster: snapshot.cluster, lastRebalanceID: snapshot.lastRebalanceID)
        )
        for broker in snapshot.brokers { nodes[brokersPath + "/\(broker.id)"] = try bytes(broker) }
        for topic in snapshot.topics { nodes[topicsPath + "/" + topic.name] = try bytes(topic) }
        for group in snapshot.groups { nodes[groupsPath + "/" + group.name] = try bytes(group) }
        return nodes
    }
}

/// The content of `meta/cluster`.
struct ClusterNode: Codable {
    var cluster: ClusterSettings
    var lastRebalanceID: Int64
}
