public import TubeMQMasterState

/// A ``MetadataStore`` that keeps the latest snapshot in memory: nothing survives the process.
///
/// For tests and for a master started without a data directory. Sharing one instance between two
/// masters started one after the other simulates a restart.
public actor MemoryMetadataStore: MetadataStore {
    private var stored: MasterSnapshot?
    private var lastVersion: UInt64 = 0

    /// Every change persisted, in the order received.
    public private(set) var changes: [MetadataChange] = []

    /// Creates a store, empty or holding `snapshot`.
    public init(snapshot: MasterSnapshot? = nil) {
        self.stored = snapshot
    }

    /// The latest snapshot.
    public func load() async throws(MetadataStoreError) -> MasterSnapshot? { stored }

    /// Keeps `change`'s snapshot unless a later version was already kept.
    public func persist(_ change: MetadataChange) async throws(MetadataStoreError) {
        changes.append(change)
        if change.version <= lastVersion, stored != nil { return }
        lastVersion = change.version
        stored = change.snapshot
    }

    /// Forgets the version counter, so the next master run starts from version 1 again.
    public func close() async throws(MetadataStoreError) {
        lastVersion = 0
    }
}
