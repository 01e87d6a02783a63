/// One topic's placement as a client-balanced group sees it (one entry of `topicMetaInfoList`):
/// per broker deployment, the storage instances, the partitions per instance, and whether the
/// group may consume there now.
public struct TopicPartitionMeta: Sendable, Hashable {
    /// One deployment of the topic on a broker.
    public struct Deployment: Sendable, Hashable {
        /// The broker id.
        public var brokerID: Int32
        /// The storage instances of the topic on the broker (`numTopicStores`).
        public var numTopicStores: Int32
        /// The partitions per storage instance (`numPartitions`).
        public var numPartitions: Int32
        /// Whether the deployment accepts subscribe on a serving broker and the group is not
        /// forbidden to consume the topic (`statusId` 1, else 0).
        public var subscribable: Bool

        /// Creates a deployment entry.
        public init(brokerID: Int32, numTopicStores: Int32, numPartitions: Int32, subscribable: Bool) {
            self.brokerID = brokerID
            self.numTopicStores = numTopicStores
            self.numPartitions = numPartitions
            self.subscribable = subscribable
        }
    }

    /// The topic.
    public var topic: String
    /// Its deployments, by broker id.
    public var deployments: [Deployment]

    /// Creates a topic entry.
    public init(topic: String, deployments: [Deployment]) {
        self.topic = topic
        self.deployments = deployments
    }
}

/// A member of a client-balanced group: a consumer that picks its partitions itself (methods
/// 20–22, the Java `SimpleClientBalanceConsumer`). Never persisted.
public struct ClientBalanceMember: Sendable, Hashable {
    /// The consumer's client id.
    public internal(set) var clientID: String
    /// Its host name or address.
    public internal(set) var hostName: String
    /// How many consumer nodes the client says the group has (`sourceCount`).
    public internal(set) var sourceCount: Int32
    /// This consumer's index among them (`nodeId`).
    public internal(set) var nodeID: Int32
    /// When it registered (ms).
    public internal(set) var registeredAt: Int64
    /// When its latest register, heartbeat or meta request arrived (ms).
    public internal(set) var lastHeartbeatAt: Int64
    /// The partitions it reported consuming (`partSubInfo`), by partition key.
    public internal(set) var reported: [String: ReportedPartition]
    /// When the client last changed its assignment (`lstAssignedTime`), -2 when never reported.
    public internal(set) var lastAssignedAt: Int64
    /// The topic-metadata version the client holds.
    public internal(set) var topicMetaID: Int64
    /// The "consume from max offset" task version the client holds (`csmFrmMaxOffsetCtrlId`).
    public internal(set) var consumeFromMaxID: Int64
}

/// A partition a client-balanced consumer reports consuming: broker id, topic and partition id
/// (the client knows no more in `partSubInfo`).
public struct ReportedPartition: Sendable, Hashable {
    /// The broker id.
    public var brokerID: Int32
    /// The topic.
    public var topic: String
    /// The partition id.
    public var partitionID: Int32

    /// Creates a reported partition.
    public init(brokerID: Int32, topic: String, partitionID: Int32) {
        self.brokerID = brokerID
        self.topic = topic
        self.partitionID = partitionID
    }

    /// `brokerId:topic:partitionId`, as ``TubeMQCore/Partition/key``.
    public var key: String { "\(brokerID):\(topic):\(partitionID)" }
}

/// A client-balanced consumer group: its members choose partitions themselves; the master only
/// tells them where the group's topics live (versioned by ``topicMetaID``) and which brokers serve.
///
/// The first member fixes the topics and filters; later members must match them (425, 426), and
/// a group is either client-balanced or server-balanced, never both (424).
public struct ClientBalanceGroup: Sendable, Hashable {
    /// The group name.
    public internal(set) var name: String
    /// The subscribed topics.
    public internal(set) var topics: Set<String>
    /// Filter items per topic; topics without filters are absent.
    public internal(set) var filters: [String: Set<String>]
    /// The members by client id.
    public internal(set) var members: [String: ClientBalanceMember]
    /// The topic placement last computed for the group, sorted by topic.
    public internal(set) var topicMeta: [TopicPartitionMeta]
    /// The version of ``topicMeta``: the time it last changed, -2 before the first computation.
    public internal(set) var topicMetaID: Int64
    /// The version of the admin's "consume from max offset" request for the group, -2 when none
    /// (`admin_set_client_balance_group_consume_from_max`).
    public internal(set) var consumeFromMaxID: Int64

    /// The members sorted by client id.
    public var sortedMembers: [ClientBalanceMember] { members.values.sorted { $0.clientID < $1.clientID } }
}
