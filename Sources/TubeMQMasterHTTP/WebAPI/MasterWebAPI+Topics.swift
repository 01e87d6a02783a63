import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Topic deployment methods (admin-api.md §5.2): a deployment is a topic on one broker, with its
/// storage and flush settings.
extension MasterWebAPI {
    static let topicMethods: [MasterWebMethod] = {
        let add: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api,
            p throws(WebParameterError) in
            Envelope.success(objects: await api.apply(try DeploymentChange(p, adding: true)))
        }
        let update: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api,
            p throws(WebParameterError) in
            Envelope.success(objects: await api.apply(try DeploymentChange(p, adding: false)))
        }
        let delete: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api,
            p throws(WebParameterError) in
            let user = try p.modifier()
            return try await api.eachDeployment(p) { master, topic, id throws(MasterError) in
                _ = try await master.deleteTopicDeployment(topic: topic, brokerID: id, by: user)
            }
        }
        let redo: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api,
            p throws(WebParameterError) in
            let user = try p.modifier()
            return try await api.eachDeployment(p) { master, topic, id throws(MasterError) in
                _ = try await master.restoreTopicDeployment(topic: topic, brokerID: id, by: user)
            }
        }
        let remove: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api,
            p throws(WebParameterError) in
            let user = try p.modifier()
            return try await api.eachDeployment(p) { master, topic, id throws(MasterError) in
                _ = try await master.removeTopicDeployment(topic: topic, brokerID: id, by: user)
            }
        }
        return [
            .modify("admin_add_new_topic_record", add), .modify("admin_add_topic_deploy_info", add),
            .modify("admin_modify_topic_info", update), .modify("admin_update_topic_deploy_info", update),
            .modify("admin_delete_topic_info", delete), .modify("admin_delete_topic_deploy_info", delete),
            .modify("admin_redo_deleted_topic_info", redo), .modify("admin_redo_deleted_topic_deploy_info", redo),
            .modify("admin_remove_topic_info", remove), .modify("admin_remove_topic_deploy_info", remove),
            .query("admin_query_topic_info") { api, p throws(WebParameterError) in try await api.queryTopicInfo(p) },
            .query("admin_query_topic_deploy_info") { api, p throws(WebParameterError) in
                try await api.queryTopicDeployInfo(p)
            },
            .query("admin_query_topic_deploy_configure") { api, p throws(WebParameterError) in
                try await api.queryDeployments(p)
            },
            .query("admin_query_deployed_topics") { api, p throws(WebParameterError) in
                try await api.queryDeployedTopics(p)
            },
            .query("admin_query_deployed_broker_ids") { api, p throws(WebParameterError) in
                try await api.queryDeployedBrokers(p)
            },
        ]
    }()

    /// Adds or updates the deployments of a validated change; answers the per-record items.
    func apply(_ change: DeploymentChange) async -> [JSONObject] {
        var items: [JSONObject] = []
        for topic in change.topics {
            for id in change.brokers {
                let failure = await MasterError.capture { () throws(MasterError) in
                    if change.adding {
                        _ = try await master.addTopicDeployment(
                            topic: topic,
                            brokerID: id,
                            settings: change.settings,
                            by: change.user
                        )
                    } else {
                        _ = try await master.updateTopicDeployment(
                            topic: topic,
                            brokerID: id,
                            settings: change.settings,
                            by: change.user
                        )
                    }
                }
                items.append(RecordResult.topicDeploy(brokerID: id, topic: topic, failure))
            }
        }
        return items
    }

    /// Runs `change` for every (topic, broker) pair of the required `topicName` and `brokerId`
    /// lists, and answers the per-record list.
    func eachDeployment(
        _ p: WebParameters,
        _ change: (Master, String, Int32) async throws(MasterError) -> Void
    ) async throws(WebParameterError) -> JSONObject {
        let topics = try p.list(.topicName, required: true)
        let brokers = try p.int32List(.brokerID, required: true)
        var items: [JSONObject] = []
        for topic in topics {
            for id in brokers {
                let failure = await MasterError.capture { () throws(MasterError) in try await change(master, topic, id)
                }
                items.append(RecordResult.topicDeploy(brokerID: id, topic: topic, failure))
            }
        }
        return Envelope.success(objects: items)
    }

    /// The deployments matching `topicName`, `brokerId` and `topicStatusId`, grouped by topic
    /// (topics without a matching deployment are kept when they were named or no broker filter
    /// is given).
    func selectedTopics(_ p: WebParameters) async throws(WebParameterError) -> [(Topic, [TopicDeployment])] {
        let names = Set(try p.list(.topicName))
        let brokers = Set(try p.int32List(.brokerID))
        let status = try p.int32(.topicStatusID, range: -2...3) ?? -2
        _ = try p.topicProperties()
        var out: [(Topic, [TopicDeployment])] = []
        for topic in await master.topics() where names.isEmpty || names.contains(topic.name) {
            let deployments = topic.deployments.filter {
                (brokers.isEmpty || brokers.contains($0.brokerID)) && (status == -2 || $0.status.rawValue == status)
            }
            guard !deployments.isEmpty || brokers.isEmpty else { continue }
            out.append((topic, deployments))
        }
        return out
    }

    /// `admin_query_topic_info`: per topic, its size limit, deployments with their run values, and
    /// partition totals (the console's old format).
    func queryTopicInfo(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let selected = try await selectedTopics(p)
        let brokers = Dictionary(uniqueKeysWithValues: await master.brokers().map { ($0.config.id, $0) })
        let items: [JSONObject] = selected.map { topic, deployments in
            let summary = TopicSummary(deployments, brokers: brokers)
            var item: JSONObject = [
                "topicName": .string(topic.name), "maxMsgSizeInMB": .int(topic.maxMsgSizeInMB),
                "topicInfo": .array(summary.deployments),
            ]
            item.append(contentsOf: summary.totals)
            item.append("authData", .object(JSONObject()))
            return item
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_topic_deploy_info`: the new format of the topic query, with the topic's control
    /// fields first and `deployInfo`.
    func queryTopicDeployInfo(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let withGroups = try p.bool(.withGroupAuthInfo) ?? false
        let selected = try await selectedTopics(p)
        let brokers = Dictionary(uniqueKeysWithValues: await master.brokers().map { ($0.config.id, $0) })
        let items: [JSONObject] = selected.map { topic, deployments in
            let summary = TopicSummary(deployments, brokers: brokers)
            var item: JSONObject = [
                "topicName": .string(topic.name), "topicNameId": 0, "enableAuthControl": .bool(topic.enableAuthControl),
                "maxMsgSizeInMB": .int(topic.maxMsgSizeInMB),
            ]
            item.append(contentsOf: RecordJSON.base(topic.stamp))
            item.append("deployInfo", .array(summary.deployments))
            item.append(contentsOf: summary.totals)
            if withGroups {
                item.append("groupAuthInfo", [])
                item.append("groupAuthCount", 0)
            }
            return item
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_topic_deploy_configure`: the matching deployments as a flat list.
    func queryDeployments(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let selected = try await selectedTopics(p)
        var configs: [Int32: BrokerRecord] = [:]
        for status in await master.brokers() { configs[status.config.id] = status.config }
        let items = selected.flatMap { _, deployments in
            deployments.map { RecordJSON.deployment($0, broker: configs[$0.brokerID]) }
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_deployed_topics`: per broker, the names of the topics deployed on it.
    func queryDeployedTopics(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let ids = Set(try p.int32List(.brokerID))
        let topics = await master.topics()
        var items: [JSONObject] = []
        for status in await master.brokers() where ids.isEmpty || ids.contains(status.config.id) {
            let names = topics.filter { $0.deployment(on: status.config.id) != nil }.map { JSON.string($0.name) }
            items.append([
                "brokerId": .int(status.config.id), "topicName": .array(names), "topicCount": .int(names.count),
            ])
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_deployed_broker_ids`: per topic, the brokers it is deployed on.
    func queryDeployedBrokers(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let names = Set(try p.list(.topicName))
        let withIP = try p.bool(.withIP) ?? false
        var hosts: [Int32: String] = [:]
        for status in await master.brokers() { hosts[status.config.id] = status.config.host }
        var items: [JSONObject] = []
        for topic in await master.topics() where names.isEmpty || names.contains(topic.name) {
            let brokers: [JSON] = topic.deployments.map { deployment in
                guard withIP else { return .int(deployment.brokerID) }
                return .object([
                    "brokerId": .int(deployment.brokerID), "brokerIp": .string(hosts[deployment.brokerID] ?? ""),
                ])
            }
            items.append([
                "topicName": .string(topic.name), "brokerInfo": .array(brokers), "brokerCnt": .int(brokers.count),
            ])
        }
        return Envelope.success(objects: items)
    }
}

/// What a topic deploy add or update (or one item of its batch form) asks for, validated: the
/// cross product of `topicName` and `brokerId`, the §4.2 settings and the operator.
struct DeploymentChange {
    var adding: Bool
    var topics: [String]
    var brokers: [Int32]
    var settings: TopicSettingsPatch
    var user: String

    init(_ p: WebParameters, adding: Bool) throws(WebParameterError) {
        self.adding = adding
        topics = try p.list(.topicName, required: true)
        brokers = try p.int32List(.brokerID, required: true)
        settings = try p.topicProperties()
        user = adding ? try p.creator() : try p.modifier()
    }
}
