import TubeMQCore
import TubeMQMasterState
import TubeMQWire

/// The configuration strings a broker receives in `RegisterResponseM2B` / `HeartResponseM2B`.
///
/// The default string carries every field of the broker's defaults
/// (`"2:true:true:1000:10000: :delete,168h:1:0:3:10:20000"`); a topic string leaves blank what it
/// inherits from them (`"t_go: : : : : : : : :0: : : : : "` in the recording), carries its status,
/// and carries its maximum message size unless it is the 1 MiB every broker assumes, then our
/// acknowledgement policy and size cap when the topic sets them.
struct BrokerConfigText: Sendable, Hashable {
    /// `brokerDefaultConfInfo`.
    var defaults: String
    /// `brokerTopicSetConfInfo`: the topics the broker keeps, sorted by name.
    var topics: [String]
    /// `removeTopicConfInfo`: the topics the broker must drop.
    var removedTopics: [String]

    /// The strings of `reply`.
    init(_ reply: BrokerConfigReply) {
        let base = Self.settings(reply.defaults)
        defaults = base.defaultString
        topics = reply.topics.map { Self.topicString($0, base: base) }
        removedTopics = reply.removedTopics.map { Self.topicString($0, base: base) }
    }

    /// `confCheckSumId`: a CRC32 (sign bit cleared) over the default and topic strings, so it
    /// changes whenever the configuration the broker should hold changes.
    var checksum: Int32 {
        let text = ([defaults] + topics).joined(separator: "#")
        return CRC32.tubeChecksum(Array(text.utf8))
    }

    static func settings(_ settings: TopicSettings) -> BrokerTopicSettings {
        BrokerTopicSettings(
            numPartitions: settings.numPartitions,
            acceptPublish: settings.acceptPublish,
            acceptSubscribe: settings.acceptSubscribe,
            unflushThreshold: settings.unflushThreshold,
            unflushInterval: settings.unflushInterval,
            deleteWhen: nil,
            deletePolicy: settings.deletePolicy,
            numTopicStores: settings.numTopicStores,
            unflushDataHold: settings.unflushDataHold,
            memCacheMsgSizeInMB: settings.memCacheMsgSizeInMB,
            memCacheMsgCntInK: settings.memCacheMsgCntInK,
            memCacheFlushIntvl: settings.memCacheFlushIntvl
        )
    }

    static func topicString(_ deployed: DeployedTopic, base: BrokerTopicSettings) -> String {
        let own = settings(deployed.deployment.settings)
        func differing<T: Equatable>(_ path: KeyPath<BrokerTopicSettings, T?>) -> T? {
            own[keyPath: path] == base[keyPath: path] ? nil : own[keyPath: path]
        }
        let topic = BrokerTopicSettings(
            numPartitions: differing(\.numPartitions),
            acceptPublish: differing(\.acceptPublish),
            acceptSubscribe: differing(\.acceptSubscribe),
            unflushThreshold: differing(\.unflushThreshold),
            unflushInterval: differing(\.unflushInterval),
            deleteWhen: nil,
            deletePolicy: differing(\.deletePolicy),
            numTopicStores: differing(\.numTopicStores),
            unflushDataHold: differing(\.unflushDataHold),
            memCacheMsgSizeInMB: differing(\.memCacheMsgSizeInMB),
            memCacheMsgCntInK: differing(\.memCacheMsgCntInK),
            memCacheFlushIntvl: differing(\.memCacheFlushIntvl),
            statusID: deployed.deployment.status.rawValue,
            maxMsgSizeInMB: deployed.maxMsgSizeInMB == 1 ? nil : deployed.maxMsgSizeInMB,
            ackPolicy: deployed.deployment.settings.ackPolicy,
            retentionBytes: deployed.deployment.settings.retentionBytes
        )
        return topic.topicString(deployed.deployment.topic)
    }
}
