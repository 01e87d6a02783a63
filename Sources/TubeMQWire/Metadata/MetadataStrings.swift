public import TubeMQCore

/// The string forms TubeMQ uses to carry metadata inside protobuf string fields (spec A.4).
///
/// Separators: `#` between segments, `:` between attributes, `,` between list items, `@` between a
/// consumer id and its group.
public enum MetadataStrings {
    /// A broker entry, `brokerId:ip:port`; the default port 8123 is written as one blank, as the real master does.
    public static func brokerInfo(_ broker: BrokerInfo) -> String {
        broker.port == BrokerInfo.defaultPort
            ? "\(broker.id):\(broker.host): " : "\(broker.id):\(broker.host):\(broker.port)"
    }

    /// Parses a broker entry; a blank or missing port means `defaultPort`.
    public static func parseBrokerInfo(_ text: String, defaultPort: Int = BrokerInfo.defaultPort) -> BrokerInfo? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let id = Int32(parts[0].trimmingSpaces) else { return nil }
        let host = String(parts[1].trimmingSpaces)
        guard !host.isEmpty else { return nil }
        if parts.count >= 3, !parts[2].trimmingSpaces.isEmpty {
            guard let port = Int(parts[2].trimmingSpaces), (1...65535).contains(port) else { return nil }
            return BrokerInfo(id: id, host: host, port: port)
        }
        return BrokerInfo(id: id, host: host, port: defaultPort)
    }

    /// One topic's placement for producers: `topic#brokerId:numPartitions:numStores[,…]#maxMsgSize`.
    public struct TopicInfo: Sendable, Hashable {
        /// Where the topic lives on one broker.
        public struct Placement: Sendable, Hashable {
            /// The broker id.
            public var brokerID: Int32
            /// Partitions per storage instance.
            public var partitionsPerStore: Int32
            /// Number of storage instances.
            public var stores: Int32
            /// Creates a placement.
            public init(brokerID: Int32, partitionsPerStore: Int32, stores: Int32) {
                self.brokerID = brokerID
                self.partitionsPerStore = partitionsPerStore
                self.stores = stores
            }
            /// The partition ids of this placement.
            public var partitionIDs: [Int32] { PartitionID.all(stores: stores, partitionsPerStore: partitionsPerStore) }
        }

        /// The topic name.
        public var topic: String
        /// Its placements, one per broker.
        public var placements: [Placement]
        /// The maximum message size in bytes, when given.
        public var maxMessageSize: Int32?

        /// Creates a topic info.
        public init(topic: String, placements: [Placement], maxMessageSize: Int32? = nil) {
            self.topic = topic
            self.placements = placements
            self.maxMessageSize = maxMessageSize
        }

        /// The string form.
        public var encoded: String {
            let list = placements.map { "\($0.brokerID):\($0.partitionsPerStore):\($0.stores)" }.joined(separator: ",")
            return "\(topic)#\(list)#\(maxMessageSize.map(String.init) ?? "")"
        }

        /// Parses the string form; `nil` when malformed.
        public init?(parsing text: String) {
            let segments = text.split(separator: "#", omittingEmptySubsequences: false)
            guard segments.count >= 2, !segments[0].isEmpty else { return nil }
            var placements: [Placement] = []
            for item in segments[1].split(separator: ",") {
                let fields = item.split(separator: ":")
                guard fields.count == 3, let broker = Int32(fields[0]), let parts = Int32(fields[1]),
                    let stores = Int32(fields[2]), parts >= 0, stores >= 0
                else { return nil }
                placements.append(Placement(brokerID: broker, partitionsPerStore: parts, stores: stores))
            }
            let size = segments.count >= 3 ? Int32(segments[2].trimmingSpaces) : nil
            self.init(topic: String(segments[0]), placements: placements, maxMessageSize: size)
        }
    }

    /// A partition with its broker, `brokerId:host:port#topic:partitionId` (consumer heartbeats to brokers).
    public static func partitionInfo(_ partition: Partition) -> String {
        "\(partition.broker.id):\(partition.broker.host):\(partition.broker.port)#\(partition.topic):\(partition.id)"
    }

    /// Parses `brokerId:host:port#topic:partitionId`.
    public static func parsePartitionInfo(_ text: String) -> Partition? {
        let segments = text.split(separator: "#", omittingEmptySubsequences: false)
        guard segments.count >= 2, let broker = parseBrokerInfo(String(segments[0])) else { return nil }
        let topicPart = segments[1].split(separator: ":", omittingEmptySubsequences: false)
        guard topicPart.count >= 2, !topicPart[0].isEmpty, let id = Int32(topicPart[1]) else { return nil }
        return Partition(broker: broker, topic: String(topicPart[0]), id: id)
    }

    /// A subscription, `consumerId@group#brokerId:host:port#topic:partitionId` (events and master heartbeats).
    public static func subscribeInfo(_ subscription: Subscription) -> String {
        "\(subscription.consumerID)@\(subscription.group)#" + partitionInfo(subscription.partition)
    }

    /// Parses a subscription string.
    public static func parseSubscribeInfo(_ text: String) -> Subscription? {
        guard let hash = text.firstIndex(of: "#") else { return nil }
        let owner = text[..<hash]
        guard let at = owner.lastIndex(of: "@"),
            let partition = parsePartitionInfo(String(text[text.index(after: hash)...]))
        else { return nil }
        return Subscription(
            consumerID: String(owner[..<at]),
            group: String(owner[owner.index(after: at)...]),
            partition: partition
        )
    }

    /// A topic's filter condition, `topic#filter1,filter2`.
    public static func topicCondition(topic: String, filters: [String]) -> String {
        "\(topic)#\(filters.joined(separator: ","))"
    }

    /// Parses `topic#filter1,filter2`.
    public static func parseTopicCondition(_ text: String) -> (topic: String, filters: [String])? {
        let segments = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard segments.count == 2, !segments[0].isEmpty else { return nil }
        let filters = segments[1].split(separator: ",").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty }
        return (String(segments[0]), filters)
    }

    /// A broker heartbeat failure entry, `code:brokerId:host:port#topic:partitionId`.
    public static func failureInfo(code: ErrorCode, partition: Partition) -> String {
        "\(code.rawValue):" + partitionInfo(partition)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
