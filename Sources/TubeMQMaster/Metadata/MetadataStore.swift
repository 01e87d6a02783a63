public import TubeMQMasterState

/// Where the master keeps its durable state (brokers, topics, group settings, cluster defaults)
/// across restarts.
///
/// The master applies every change to its in-memory ``TubeMQMasterState/MasterState`` first, then
/// hands the store one ``MetadataChange`` per batch of durable directives, in order. An embedded
/// engine may simply write ``MetadataChange/snapshot``; a log-based or replicated engine (HA) may
/// append ``MetadataChange/directives`` instead. Calls come from the master actor one at a time per
/// change, but a store must tolerate a change arriving after a later one (it may skip versions older
/// than one already written).
public protocol MetadataStore: Sendable {
    /// Reads the durable state written before, or `nil` for a store that has never been written.
    ///
    /// - Throws: ``MetadataStoreError`` when the stored state exists but cannot be read.
    func load() async throws(MetadataStoreError) -> MasterSnapshot?

    /// Makes `change` durable before returning.
    ///
    /// - Throws: ``MetadataStoreError`` when it could not be written; the master keeps the change in
    ///   memory and hands the store the full state again with its next change and on shutdown.
    func persist(_ change: MetadataChange) async throws(MetadataStoreError)

    /// Releases the store (files, locks, connections). Called once, after the last ``persist(_:)``.
    ///
    /// - Throws: ``MetadataStoreError`` when releasing fails.
    func close() async throws(MetadataStoreError)
}

/// One batch of durable changes, with the whole durable state after it.
public struct MetadataChange: Sendable, Hashable {
    /// Increases with every change the master hands out (1, 2, …) during one run.
    public var version: UInt64
    /// The durable directives of the batch, in the order they were made; empty for a checkpoint
    /// (shutdown, or a retry after a failed write).
    public var directives: [MasterDirective]
    /// The master's durable state after the batch.
    public var snapshot: MasterSnapshot

    /// Creates a change.
    public init(version: UInt64, directives: [MasterDirective], snapshot: MasterSnapshot) {
        self.version = version
        self.directives = directives
        self.snapshot = snapshot
    }
}

/// A failure of a ``MetadataStore``.
public struct MetadataStoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// The stored state exists but cannot be decoded.
        public static let corrupt = Code(name: "corrupt")
        /// A read, write, sync or rename failed.
        public static let io = Code(name: "io")
        /// Another master holds the store (its lock could not be taken).
        public static let locked = Code(name: "locked")
        /// The store was used after ``MetadataStore/close()``.
        public static let closed = Code(name: "closed")
        /// A replicated store refused the write: this master is not (or no longer) the active one.
        public static let fenced = Code(name: "fenced")
        /// A replicated store's record changed under the write (compare-and-set lost); nothing was written.
        public static let conflict = Code(name: "conflict")

        /// The code's name.
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What was being done, with the path where there is one.
    public var message: String
    /// The underlying error, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// `code: message (underlying)`.
    public var description: String {
        underlying.map { "\(code): \(message) (\($0))" } ?? "\(code): \(message)"
    }
}

extension MasterDirective {
    /// Whether the directive changes durable state (a record to store or delete); expiries and
    /// broker-list changes are run-time events only.
    public var isDurable: Bool {
        switch self {
        case .persistClusterSettings, .persistBroker, .deleteBroker, .persistTopic, .deleteTopic, .persistGroup,
            .deleteGroup:
            true
        case .producerExpired, .consumerExpired, .brokerExpired, .brokerListChanged:
            false
        }
    }
}
