public import TubeMQStorage

/// One storage instance of a topic on this broker, as the webapi's store queries report it.
public struct StoreInfo: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The instance's index within the topic (`storeId`).
    public var storeIndex: Int
    /// How many partitions the instance holds.
    public var partitionCount: Int
    /// The offsets stored (shared by the instance's partitions).
    public var range: OffsetRange
    /// What the instance holds on disk and in its memory blocks.
    public var usage: StorageUsage

    /// Creates a store description.
    public init(topic: String, storeIndex: Int, partitionCount: Int, range: OffsetRange, usage: StorageUsage) {
        self.topic = topic
        self.storeIndex = storeIndex
        self.partitionCount = partitionCount
        self.range = range
        self.usage = usage
    }
}

extension BrokerServer {
    /// Every storage instance of `topics` (every topic when empty), by topic name then store index.
    public func storeInfo(topics: Set<String> = []) async -> [StoreInfo] {
        var out: [StoreInfo] = []
        for name in store.topicNames.sorted() where topics.isEmpty || topics.contains(name) {
            guard let topic = store.topic(name) else { continue }
            for instance in topic.instances {
                out.append(
                    StoreInfo(
                        topic: name,
                        storeIndex: Int(instance.storeIndex),
                        partitionCount: topic.configuration.partitionsPerStore,
                        range: await instance.offsetRange,
                        usage: await instance.usage
                    )
                )
            }
        }
        return out
    }
}
