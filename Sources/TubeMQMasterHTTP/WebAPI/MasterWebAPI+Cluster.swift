import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Cluster-wide methods (admin-api.md §5.3): the cluster defaults, the version and the method list.
extension MasterWebAPI {
    static let clusterMethods: [MasterWebMethod] = [
        .query("admin_query_cluster_default_setting") { api, _ throws(WebParameterError) in
            Envelope.success(objects: [clusterSettings(await api.master.clusterSettings())])
        },
        .modify("admin_set_cluster_default_setting") { api, p throws(WebParameterError) in
            let user = try p.creator()
            return try await api.changeClusterSettings(p, user: user, fromDefaults: true)
        },
        .modify("admin_update_cluster_default_setting") { api, p throws(WebParameterError) in
            let user = try p.modifier()
            return try await api.changeClusterSettings(p, user: user, fromDefaults: false)
        },
        .query("admin_query_server_version") { _, _ throws(WebParameterError) in
            Envelope.success(objects: [["version": .string(ServerVersion.text)]])
        },
        .query("admin_get_methods") { _, _ throws(WebParameterError) in
            let items: [JSONObject] = methods.keys.sorted().compactMap { name in
                methods[name].map { ["method": .string($0.name), "needAuth": .bool($0.needsAuth)] }
            }
            return Envelope.success(objects: items)
        },
    ]

    /// Sets (every absent value back to its built-in default) or updates (absent values kept) the
    /// cluster defaults, and answers them as the query does.
    func changeClusterSettings(
        _ p: WebParameters,
        user: String,
        fromDefaults: Bool
    ) async throws(WebParameterError)
        -> JSONObject
    {
        var patch = ClusterSettingsPatch(
            brokerPort: try p.port(.brokerPort),
            brokerTLSPort: try p.port(.brokerTLSPort),
            brokerWebPort: try p.port(.brokerWebPort),
            maxMsgSizeInMB: try p.int32(.maxMsgSizeInMB, range: 1...20),
            qryPriorityID: try p.int32(.qryPriorityID, range: 101...303),
            topicDefaults: try p.topicProperties()
        )
        if fromDefaults { patch = patch.overDefaults() }
        let rules = try Self.rules(p)
        let flowEnabled = try p.bool(.flowCtrlEnable)
        do {
            var settings = try await master.updateClusterSettings(patch, by: user)
            if rules != nil || flowEnabled != nil || fromDefaults {
                settings = try await master.setDefaultFlowControl(
                    enabled: flowEnabled ?? (fromDefaults ? false : nil),
                    rules: rules ?? (fromDefaults ? FlowControlRules() : nil),
                    qryPriorityID: nil,
                    by: user
                )
            }
            return Envelope.success(objects: [Self.clusterSettings(settings)])
        } catch {
            return Envelope.failure(code: Int(error.code.rawValue), error.message)
        }
    }

    /// The cluster default object: ports, size limit, read priority, the default flow control, the
    /// topic properties and the base fields.
    static func clusterSettings(_ settings: ClusterSettings) -> JSONObject {
        var item: JSONObject = [
            "brokerPort": .int(settings.brokerPort), "brokerTLSPort": .int(settings.brokerTLSPort),
            "brokerWebPort": .int(settings.brokerWebPort), "maxMsgSizeInMB": .int(settings.maxMsgSizeInMB),
            "qryPriorityId": .int(settings.qryPriorityID),
            "flowCtrlEnable": .bool(settings.flowControl?.enabled ?? false),
            "flowCtrlRuleCount": .int(settings.flowControl?.rules.ruleCount ?? 0),
            "flowCtrlInfo": rawRules(settings.flowControl?.rules ?? FlowControlRules()),
        ]
        item.append(contentsOf: RecordJSON.properties(settings.topicDefaults))
        item.append(contentsOf: RecordJSON.base(settings.stamp))
        return item
    }
}

extension ClusterSettingsPatch {
    /// The patch with every absent value set to the built-in default.
    func overDefaults() -> ClusterSettingsPatch {
        let defaults = ClusterSettings()
        let topic = defaults.topicDefaults
        let given = topicDefaults
        return ClusterSettingsPatch(
            brokerPort: brokerPort ?? defaults.brokerPort,
            brokerTLSPort: brokerTLSPort ?? defaults.brokerTLSPort,
            brokerWebPort: brokerWebPort ?? defaults.brokerWebPort,
            maxMsgSizeInMB: maxMsgSizeInMB ?? defaults.maxMsgSizeInMB,
            qryPriorityID: qryPriorityID ?? defaults.qryPriorityID,
            topicDefaults: TopicSettingsPatch(
                numPartitions: given.numPartitions ?? topic.numPartitions,
                numTopicStores: given.numTopicStores ?? topic.numTopicStores,
                acceptPublish: given.acceptPublish ?? topic.acceptPublish,
                acceptSubscribe: given.acceptSubscribe ?? topic.acceptSubscribe,
                unflushThreshold: given.unflushThreshold ?? topic.unflushThreshold,
                unflushInterval: given.unflushInterval ?? topic.unflushInterval,
                unflushDataHold: given.unflushDataHold ?? topic.unflushDataHold,
                deletePolicy: given.deletePolicy ?? topic.deletePolicy,
                memCacheMsgSizeInMB: given.memCacheMsgSizeInMB ?? topic.memCacheMsgSizeInMB,
                memCacheMsgCntInK: given.memCacheMsgCntInK ?? topic.memCacheMsgCntInK,
                memCacheFlushIntvl: given.memCacheFlushIntvl ?? topic.memCacheFlushIntvl
            )
        )
    }
}
