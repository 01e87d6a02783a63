import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Topic deployment methods (admin-api.md §5.2): a deployment is a topic on one broker, with its
/// storage and flush settings.
extension MasterWebAPI {
    static let topicMethods: [MasterWebMethod] = {
        let add: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api, p throws(WebParameterError) in
            let settings = try p.topicProperties()
            let user = try p.creator()
            return try await api.eachDeployment(p) { master, topic, id throws(MasterError) in
                _ = try await master.addTopicDeployment(topic: topic, brokerID: id, settings: settings, by: user)
            }
        }
        let update: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api, p throws(WebParameterError) in
            let settings = try p.topicProperties()
            let user = try p.modifier()
            return try await api.eachDeployment(p) { master, topic, id throws(MasterError) in
                _ = try await master.updateTopicDeployment(topic: topic, brokerID: id, settings: settings, by: user)
            }
        }
        let delete: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api, p throws(WebParameterError) in
            let user = try p.modifier()
            return try await api.eachDeployment(p) { master, topic, id throws(MasterError) in
                _ = try await master.deleteTopicDeployment(topic: topic, brokerID: id, by: user)
            }
        }
        let redo: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api, p throws(WebParameterError) in
            let user = try p.modifier()
            return try await api.eachDeployment(p) { master, topic, id throws(MasterError) in
                _ = try await master.restoreTopicDeployment(topic: topic, brokerID: id, by: user)
            }
        }
        let remove: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api, p throws(WebParameterError) in
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

    /// Runs `change` for every (topic, broker) pair of the required `topicName` and `brokerId`
    /// lists, and answers the per-record list.
    func eachDeployment(
        _ p: WebParameters, _ change: (Master, String, Int32) async throws(MasterError) -> Void
    ) async throws(WebParameterError) -> JSONObject {
        let topics = try p.list(.topicName, required: true)
        let brokers = try p.int32List(.brokerID, required: true)
        var items: [JSONObject] = []
        for topic in topics {
            for id in brokers {
                let failure = await MasterError.capture { () throws(MasterError) in try await change(master, topic, id) }
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
        var items: [JSONObject] = []
        for (topic, deployments) in selected {
            var infos: [JSON] = []
            var configured: Int64 = 0
            var running: Int64 = 0
            var acceptPublish = false
            var acceptSubscribe = false
            for deployment in deployments {
                let broker = brokers[deployment.brokerID]
                var info = RecordJSON.deployment(deployment, broker: broker?.config)
                info.append("runInfo", .object(RecordJSON.runInfo(deployment, broker: broker)))
                infos.append(.object(info))
                let partitions = Int64(deployment.settings.numPartitions) * Int64(deployment.settings.numTopicStores)
                configured += partitions
                guard let broker, RecordJSON.isRunning(broker), deployment.status == .normal else { continue }
                running += partitions
                acceptPublish = acceptPublish || (deployment.settings.acceptPublish && broker.config.manageStatus.acceptsPublish)
                acceptSubscribe =
                    acceptSubscribe || (deployment.settings.acceptSubscribe && broker.config.manageStatus.acceptsSubscribe)
            }
            items.append([
                "topicName": .string(topic.name), "maxMsgSizeInMB": .int(topic.maxMsgSizeInMB),
                "topicInfo": .array(infos), "infoCount": .int(infos.count), "totalCfgNumPart": .number(configured),
                "isSrvAcceptPublish": .bool(acceptPublish), "isSrvAcceptSubscribe": .bool(acceptSubscribe),
                "totalRunNumPartCount": .number(running), "authData": .object(JSONObject()),
            ])
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_topic_deploy_configure`: the matching deployments as a flat list.
    func queryDeployments(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let selected = try await selectedTopics(p)
        var configs: [Int32: BrokerConfig] = [:]
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
            items.append(["brokerId": .int(status.config.id), "topicName": .array(names), "topicCount": .int(names.count)])
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_deployed_broker_ids`: per topic, the brokers it is deployed on.
    func queryDeployedBrokers(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let names = Set(try p.list(.topicName))
        let withIP = p.bool(.withIP) ?? false
        var hosts: [Int32: String] = [:]
        for status in await master.brokers() { hosts[status.config.id] = status.config.host }
        var items: [JSONObject] = []
        for topic in await master.topics() where names.isEmpty || names.contains(topic.name) {
            let brokers: [JSON] = topic.deployments.map { deployment in
                guard withIP else { return .int(deployment.brokerID) }
                return .object(["brokerId": .int(deployment.brokerID), "brokerIp": .string(hosts[deployment.brokerID] ?? "")])
            }
            items.append(["topicName": .string(topic.name), "brokerInfo": .array(brokers), "brokerCnt": .int(brokers.count)])
        }
        return Envelope.success(objects: items)
    }
}
