public import TubeMQCore

/// The strings of the client-balance protocol (methods 20–22).
extension MetadataStrings {
    /// One topic's placement for a client-balanced group (`topicMetaInfoList`):
    /// `topic#brokerId:numTopicStores:numPartitions:statusId[,…]`, `statusId` 1 when the group may
    /// consume there now.
    public struct TopicMeta: Sendable, Hashable {
        /// One deployment of the topic.
        public struct Deployment: Sendable, Hashable {
            /// The broker id.
            public var brokerID: Int32
            /// Number of storage instances.
            public var stores: Int32
            /// Partitions per storage instance.
            public var partitionsPerStore: Int32
            /// Whether the group may consume it now (`statusId` 1).
            public var subscribable: Bool

            /// Creates a deployment.
            public init(brokerID: Int32, stores: Int32, partitionsPerStore: Int32, subscribable: Bool) {
                self.brokerID = brokerID
                self.stores = stores
                self.partitionsPerStore = partitionsPerStore
                self.subscribable = subscribable
            }

            /// The partition ids of this deployment.
            public var partitionIDs: [Int32] { PartitionID.all(stores: stores, partitionsPerStore: partitionsPerStore) }
        }

        /// The topic name.
        public var topic: String
        /// Its deployments.
        public var deployments: [Deployment]

        /// Creates a topic entry.
        public init(topic: String, deployments: [Deployment]) {
            self.topic = topic
            self.deployments = deployments
        }
    }

    /// Writes a `topicMetaInfoList` entry.
    public static func topicMeta(_ meta: TopicMeta) -> String {
        meta.topic + "#"
            + meta.deployments.map {
                "\($0.brokerID):\($0.stores):\($0.partitionsPerStore):\($0.subscribable ? 1 : 0)"
            }.joined(separator: ",")
    }

    /// Parses a `topicMetaInfoList` entry; `nil` when malformed.
    public static func parseTopicMeta(_ text: String) -> TopicMeta? {
        let segments = text.split(separator: "#", omittingEmptySubsequences: false)
        guard segments.count == 2, !segments[0].isEmpty else { return nil }
        var deployments: [TopicMeta.Deployment] = []
        for item in segments[1].split(separator: ",") {
            let fields = item.split(separator: ":", omittingEmptySubsequences: false).map { Int32($0.trimmingSpaces) }
            guard fields.count == 4, let broker = fields[0], let stores = fields[1], let parts = fields[2],
                let status = fields[3], stores >= 0, parts >= 0
            else { return nil }
            deployments.append(
                .init(brokerID: broker, stores: stores, partitionsPerStore: parts, subscribable: status == 1)
            )
        }
        return TopicMeta(topic: String(segments[0]), deployments: deployments)
    }

    /// Writes the `partSubInfo` entries of a client-balanced consumer: one per topic,
    /// `topic#brokerId:partitionId[,…]`, sorted.
    public static func partSubInfo(_ partitions: [Partition]) -> [String] {
        let byTopic = Dictionary(grouping: partitions, by: \.topic)
        return byTopic.keys.sorted().map { topic in
            topic + "#"
                + byTopic[topic, default: []].sorted { ($0.broker.id, $0.id) < ($1.broker.id, $1.id) }
                .map { "\($0.broker.id):\($0.id)" }.joined(separator: ",")
        }
    }

    /// Parses one `partSubInfo` entry into (broker id, topic, partition id) triples; `nil` when malformed.
    public static func parsePartSubInfo(_ text: String) -> [(brokerID: Int32, topic: String, partitionID: Int32)]? {
        let segments = text.split(separator: "#", omittingEmptySubsequences: false)
        guard segments.count == 2, !segments[0].isEmpty else { return nil }
        let topic = String(segments[0])
        var out: [(brokerID: Int32, topic: String, partitionID: Int32)] = []
        for item in segments[1].split(separator: ",") {
            let fields = item.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2, let broker = Int32(fields[0].trimmingSpaces),
                let partition = Int32(fields[1].trimmingSpaces)
            else { return nil }
            out.append((broker, topic, partition))
        }
        return out
    }
}
