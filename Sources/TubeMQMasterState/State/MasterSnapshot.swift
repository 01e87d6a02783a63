/// The durable state of the master: everything the metadata store keeps across restarts.
///
/// Clients (producers, consumers) and broker run states are not part of it: they register again.
public struct MasterSnapshot: Sendable, Hashable, Codable {
    /// The snapshot format version.
    public var formatVersion: Int
    /// The cluster default settings.
    public var cluster: ClusterSettings
    /// Every broker record, sorted by id.
    public var brokers: [BrokerRecord]
    /// Every topic with its deployments, sorted by name.
    public var topics: [Topic]
    /// Every group's durable settings, sorted by name.
    public var groups: [GroupSettings]
    /// The last rebalance id handed out, so ids keep increasing across restarts.
    public var lastRebalanceID: Int64

    /// Creates a snapshot.
    public init(
        formatVersion: Int = 1,
        cluster: ClusterSettings = ClusterSettings(),
        brokers: [BrokerRecord] = [],
        topics: [Topic] = [],
        groups: [GroupSettings] = [],
        lastRebalanceID: Int64 = 0
    ) {
        self.formatVersion = formatVersion
        self.cluster = cluster
        self.brokers = brokers
        self.topics = topics
        self.groups = groups
        self.lastRebalanceID = lastRebalanceID
    }
}
