import TubeMQCore
import TubeMQMasterState
import TubeMQWire

/// Turns ``TubeMQMasterState`` values into the strings and sub-messages of master replies.
enum ReplyFormatting {
    /// The maximum message size every client and broker assumes when none is given: 1 MiB.
    static let defaultMaxMsgSize: Int32 = 1_048_576

    /// `brokerId:ip:port`, the default port written as one blank (`"1:127.0.0.1: "`).
    static func brokerInfos(_ brokers: [BrokerInfo]) -> [String] {
        brokers.map(MetadataStrings.brokerInfo)
    }

    /// `topic#brokerId:numPartitions:numTopicStores[,…]#maxMsgSize`; the size is left blank at the
    /// 1 MiB default, as the recorded master did (`"t_go#1:2:1#"`).
    static func topicInfo(_ info: TopicPublishInfo) -> String {
        MetadataStrings.TopicInfo(
            topic: info.topic,
            placements: info.brokers.map {
                .init(brokerID: $0.brokerID, partitionsPerStore: $0.numPartitions, stores: $0.numTopicStores)
            },
            maxMessageSize: info.maxMsgSize == defaultMaxMsgSize ? nil : info.maxMsgSize
        ).encoded
    }

    /// A pushed rebalance event: id, type and subscriptions, and no status (as recorded).
    static func event(_ event: RebalanceEvent) -> EventProto {
        var proto = EventProto()
        proto.rebalanceID = event.rebalanceID
        proto.opType = event.type.rawValue
        proto.subscribeInfo = event.subscriptions.map(MetadataStrings.subscribeInfo)
        return proto
    }

    /// A client's echo of an event, as ``TubeMQMasterState/RebalanceEvent``.
    static func acknowledgement(_ proto: EventProto) -> RebalanceEvent {
        RebalanceEvent(
            rebalanceID: proto.rebalanceID,
            type: RebalanceEventType(rawValue: proto.opType),
            status: RebalanceEventStatus(rawValue: proto.hasStatus ? proto.status : RebalanceEventStatus.todo.rawValue),
            subscriptions: RequestParsing.subscriptions(proto.subscribeInfo)
        )
    }

    /// `authorizedInfo` of client replies: the master's visit token.
    static func authorizedInfo(_ token: Int64, authToken: String = "") -> MasterAuthorizedInfo {
        var info = MasterAuthorizedInfo()
        info.visitAuthorizedToken = token
        if !authToken.isEmpty { info.authAuthorizedToken = authToken }
        return info
    }

    /// `appdConfig` of producer replies: the settings id, plus the maximum message size when the
    /// client holds no settings or other ones (Go and C++ send none and get both; Java sends
    /// `{configId: -2}` and gets only the id).
    static func approvedConfig(_ approved: ApprovedConfig, held: ApprovedClientConfig?) -> ApprovedClientConfig {
        var config = ApprovedClientConfig()
        config.configID = approved.configID
        if held?.configID != approved.configID { config.maxMsgSize = approved.maxMsgSize }
        return config
    }

    /// `clsConfig` of broker replies, by the same rule as ``approvedConfig(_:held:)``.
    static func clusterConfig(_ approved: ApprovedConfig, held: ClusterConfig?) -> ClusterConfig {
        var config = ClusterConfig()
        config.configID = approved.configID
        if held?.configID != approved.configID { config.maxMsgSize = approved.maxMsgSize }
        return config
    }
}
