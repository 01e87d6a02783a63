import TubeMQCore
import TubeMQStorage
import TubeMQWire

extension BrokerTopic {
    /// A topic from the master's settings string (blank fields already inherited from the broker
    /// default); the acknowledgement policy and size cap the master leaves blank come from
    /// `configuration` (broker.ini). An unknown policy name is taken as `disk`, the safer one.
    init(name: String, settings: BrokerTopicSettings, configuration: BrokerConfiguration? = nil) {
        self.init(
            name: name,
            stores: max(1, settings.numTopicStores ?? 1),
            partitionsPerStore: max(1, settings.numPartitions ?? 1),
            acceptPublish: settings.acceptPublish ?? true,
            acceptSubscribe: settings.acceptSubscribe ?? true,
            maxMessageSize: Int(max(1, settings.maxMsgSizeInMB ?? 1)) << 20,
            unflushThreshold: Int(settings.unflushThreshold ?? 1000),
            unflushIntervalMillis: Int(settings.unflushInterval ?? 10_000),
            unflushDataHold: Int(settings.unflushDataHold ?? 0),
            retentionSeconds: settings.deletePolicy.flatMap { try? DeletePolicy(parsing: $0).seconds }
                ?? DeletePolicy.maxSeconds,
            acknowledgement: settings.ackPolicy.map { FlushPolicy.Acknowledgement(rawValue: $0.lowercased()) ?? .disk }
                ?? configuration?.acknowledgement ?? .memory,
            retentionBytes: (settings.retentionBytes ?? configuration?.retentionBytes).flatMap { $0 > 0 ? $0 : nil }
        )
    }

    /// The storage layout and policies for this topic.
    ///
    /// A topic with a size cap (`retentionBytes`) gets segments of an eighth of its cap per store
    /// (1 MiB at least, `segmentBytes` at most): retention deletes whole segments and never the
    /// newest, so with the broker's 512 MiB segments a smaller cap would never act.
    func storageConfiguration(segmentBytes: Int64) -> TopicConfiguration {
        let retentionBytesPerStore = retentionBytes.map { max(1, $0 / Int64(max(1, stores))) }
        return TopicConfiguration(
            storeCount: Int(stores),
            partitionsPerStore: Int(partitionsPerStore),
            segmentBytes: retentionBytesPerStore.map { min(segmentBytes, max(Self.smallestCappedSegment, $0 / 8)) }
                ?? segmentBytes,
            flush: FlushPolicy(
                acknowledgement: acknowledgement,
                messageThreshold: max(1, unflushThreshold),
                byteThreshold: unflushDataHold,
                interval: .milliseconds(max(1, unflushIntervalMillis))
            ),
            retention: RetentionPolicy(
                maxAge: .seconds(retentionSeconds),
                maxBytes: retentionBytesPerStore
            ),
            maxMessageBytes: max(maxMessageSize, 1 << 20) + Message.headerAllowance
        )
    }

    /// The smallest segment a size cap picks.
    static let smallestCappedSegment: Int64 = 1 << 20
}
