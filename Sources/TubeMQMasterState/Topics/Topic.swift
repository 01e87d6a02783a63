import TubeMQCore

/// The life-cycle status of a topic deployment (`topicStatusId`, admin-api.md §4.3).
public enum TopicStatus: Int32, Sendable, Hashable, Codable, CaseIterable {
    /// In service.
    case normal = 0
    /// Soft-deleted: out of service, can be restored with `redo`.
    case softDeleted = 1
    /// Removed: the broker is told to drop it; purged once the broker reports it gone.
    case softRemoved = 2
}

/// One deployment record: a topic on one broker (`admin_add_topic_deploy_info`).
public struct TopicDeployment: Sendable, Hashable, Codable {
    /// The topic name.
    public var topic: String
    /// The broker the topic is deployed on.
    public var brokerID: Int32
    /// The effective storage settings (inherited from the broker's defaults at creation, then edited).
    public var settings: TopicSettings
    /// The life-cycle status.
    public var status: TopicStatus
    /// The audit stamp.
    public var stamp: RecordStamp

    /// Creates a deployment record.
    public init(
        topic: String,
        brokerID: Int32,
        settings: TopicSettings,
        status: TopicStatus = .normal,
        stamp: RecordStamp
    ) {
        self.topic = topic
        self.brokerID = brokerID
        self.settings = settings
        self.status = status
        self.stamp = stamp
    }
}

/// A topic: its control record (maximum message size, auth flag) and its deployments.
public struct Topic: Sendable, Hashable, Codable {
    /// The topic name.
    public var name: String
    /// Maximum message payload in MiB (1…20), pushed to producers.
    public var maxMsgSizeInMB: Int32
    /// Whether consume/produce authorisation is enforced for the topic.
    public var enableAuthControl: Bool
    /// The deployments, one per broker, sorted by broker id.
    public var deployments: [TopicDeployment]
    /// The audit stamp of the control record.
    public var stamp: RecordStamp

    /// Creates a topic.
    public init(
        name: String,
        maxMsgSizeInMB: Int32 = 1,
        enableAuthControl: Bool = false,
        deployments: [TopicDeployment] = [],
        stamp: RecordStamp
    ) {
        self.name = name
        self.maxMsgSizeInMB = maxMsgSizeInMB
        self.enableAuthControl = enableAuthControl
        self.deployments = deployments.sorted { $0.brokerID < $1.brokerID }
        self.stamp = stamp
    }

    /// ``maxMsgSizeInMB`` in bytes, as the third segment of a producer's `topicInfo` carries it.
    public var maxMsgSize: Int32 { maxMsgSizeInMB * 1_048_576 }

    /// The deployment on `brokerID`, if any.
    public func deployment(on brokerID: Int32) -> TopicDeployment? {
        deployments.first { $0.brokerID == brokerID }
    }

    /// Inserts or replaces the deployment for its broker, keeping the list sorted.
    mutating func upsert(_ deployment: TopicDeployment) {
        if let index = deployments.firstIndex(where: { $0.brokerID == deployment.brokerID }) {
            deployments[index] = deployment
        } else {
            deployments.append(deployment)
            deployments.sort { $0.brokerID < $1.brokerID }
        }
    }

    /// Drops the deployment on `brokerID`; returns whether there was one.
    @discardableResult
    mutating func removeDeployment(on brokerID: Int32) -> Bool {
        let before = deployments.count
        deployments.removeAll { $0.brokerID == brokerID }
        return deployments.count != before
    }
}

/// Where producers may send a topic's messages: one entry per broker (`topicInfo`,
/// `topic#brokerId:numPartitions:numTopicStores[,…]#maxMsgSizeInB`).
public struct TopicPublishInfo: Sendable, Hashable, Codable {
    /// One broker's share of the topic.
    public struct BrokerShare: Sendable, Hashable, Codable {
        /// The broker id.
        public var brokerID: Int32
        /// Partitions per store.
        public var numPartitions: Int32
        /// Stores on that broker.
        public var numTopicStores: Int32

        /// Creates a share.
        public init(brokerID: Int32, numPartitions: Int32, numTopicStores: Int32) {
            self.brokerID = brokerID
            self.numPartitions = numPartitions
            self.numTopicStores = numTopicStores
        }

        /// Every partition id of the share, in store order.
        public var partitionIDs: [Int32] {
            guard numTopicStores > 0, numPartitions > 0 else { return [] }
            return PartitionID.all(stores: numTopicStores, partitionsPerStore: numPartitions)
        }
    }

    /// The topic name.
    public var topic: String
    /// The brokers that take the topic's messages, sorted by id.
    public var brokers: [BrokerShare]
    /// The maximum message size in bytes. The recorded master left the field blank
    /// (`"t_go#1:2:1#"`) while it was the 1 MiB default.
    public var maxMsgSize: Int32

    /// Creates publish info.
    public init(topic: String, brokers: [BrokerShare], maxMsgSize: Int32) {
        self.topic = topic
        self.brokers = brokers
        self.maxMsgSize = maxMsgSize
    }
}
