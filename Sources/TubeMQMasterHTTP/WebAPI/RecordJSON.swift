import TubeMQMasterState
import TubeMQWebSupport

/// The JSON shapes of the master's records, keys in the order of the Java `toWebJsonStr`
/// builders (admin-api.md §5), always with the long key names.
enum RecordJSON {
    /// The §4.2 topic property keys, then `dataStoreType` and `dataPath`, then our `ackPolicy` and
    /// `retentionBytes` when the topic sets them.
    static func properties(_ settings: TopicSettings) -> JSONObject {
        var object: JSONObject = [
            "numTopicStores": .int(settings.numTopicStores),
            "numPartitions": .int(settings.numPartitions),
            "unflushThreshold": .int(settings.unflushThreshold),
            "unflushInterval": .int(settings.unflushInterval),
            "unflushDataHold": .int(settings.unflushDataHold),
            "memCacheMsgSizeInMB": .int(settings.memCacheMsgSizeInMB),
            "memCacheMsgCntInK": .int(settings.memCacheMsgCntInK),
            "memCacheFlushIntvl": .int(settings.memCacheFlushIntvl),
            "acceptPublish": .bool(settings.acceptPublish),
            "acceptSubscribe": .bool(settings.acceptSubscribe),
            "deletePolicy": .string(settings.deletePolicy),
            "dataStoreType": 0,
            "dataPath": "",
        ]
        if let policy = settings.ackPolicy { object.append("ackPolicy", .string(policy)) }
        if let bytes = settings.retentionBytes { object.append("retentionBytes", .number(bytes)) }
        return object
    }

    /// The base fields every record ends with: `dataVersionId`, `serialId`, `createUser`,
    /// `createDate`, `modifyUser`, `modifyDate`.
    static func base(_ stamp: RecordStamp?, serialID: Int64 = 0) -> JSONObject {
        [
            "dataVersionId": 0,
            "serialId": .number(serialID),
            "createUser": .string(stamp?.createdBy ?? ""),
            "createDate": .string(stamp.map { WebDate.format($0.createdAt) } ?? ""),
            "modifyUser": .string(stamp?.modifiedBy ?? ""),
            "modifyDate": .string(stamp.map { WebDate.format($0.modifiedAt) } ?? ""),
        ]
    }

    /// A broker configuration object (`admin_query_broker_configure`).
    static func broker(_ status: BrokerStatus) -> JSONObject {
        let config = status.config
        var item: JSONObject = [
            "brokerId": .int(config.id),
            "brokerIp": .string(config.host),
            "brokerPort": .int(config.port),
            "brokerTLSPort": .int(config.tlsPort),
            "brokerWebPort": .int(config.webPort),
            "manageStatus": .string(config.manageStatus.description),
            "isConfChanged": .bool(!status.isConfigLoaded),
            "isConfLoaded": .bool(status.isConfigLoaded),
            "regionId": .int(config.regionID),
            "groupId": .int(config.groupID),
        ]
        item.append(contentsOf: properties(config.defaults))
        item.append(contentsOf: base(config.stamp, serialID: config.configVersion))
        return item
    }

    /// A topic deployment object (`admin_query_topic_deploy_configure`): `topicName`, `brokerId`,
    /// `topicNameId`, `brokerIp`, `brokerPort`, `topicStatusId`, the properties, the base fields.
    static func deployment(_ deployment: TopicDeployment, broker: BrokerRecord?) -> JSONObject {
        var item: JSONObject = [
            "topicName": .string(deployment.topic),
            "brokerId": .int(deployment.brokerID),
            "topicNameId": 0,
            "brokerIp": .string(broker?.host ?? ""),
            "brokerPort": .int(broker?.port ?? 0),
            "topicStatusId": .int(deployment.status.rawValue),
        ]
        item.append(contentsOf: properties(deployment.settings))
        item.append(contentsOf: base(deployment.stamp))
        return item
    }

    /// Whether the deployment's broker is connected and reporting, so its run values are known.
    static func isRunning(_ broker: BrokerStatus?) -> Bool {
        guard let broker else { return false }
        return broker.runState == .online || broker.runState == .registered
    }

    /// The deployment's `runInfo`: the values in force on a running broker (the partitions and stores
    /// it has loaded, which trail an admin change until its next heartbeat), `"-"` otherwise.
    static func runInfo(_ deployment: TopicDeployment, broker: BrokerStatus?) -> JSONObject {
        let run = DeploymentRun(deployment, broker: broker)
        guard let served = run.share, let broker else {
            // TubeMQ's four keys: no numTopicStores until the broker has reported.
            return ["acceptPublish": "-", "acceptSubscribe": "-", "numPartitions": "-", "brokerManageStatus": "-"]
        }
        return [
            "acceptPublish": .bool(run.acceptPublish), "acceptSubscribe": .bool(run.acceptSubscribe),
            "numPartitions": .int(served.numPartitions), "numTopicStores": .int(served.numTopicStores),
            "brokerManageStatus": .string(broker.config.manageStatus.description),
        ]
    }
}
