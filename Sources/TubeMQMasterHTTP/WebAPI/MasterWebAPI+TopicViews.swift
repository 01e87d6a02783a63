import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The count views of topics over brokers (admin-api.md §5.2, §5.3): how many brokers, stores and
/// partitions a topic is configured with, how many of them run, and how many take messages or can be
/// consumed. "Configured" counts the deployments' settings; "running" counts what a running broker
/// has loaded (``BrokerStatus/servedShares``), which trails an admin change until its next heartbeat.
extension MasterWebAPI {
    static let topicViewMethods: [MasterWebMethod] = [
        .query("admin_query_broker_topic_config_info") { api, p throws(WebParameterError) in
            try await api.topicCountsByTopic(p)
        },
        .query("admin_query_topic_broker_config_info") { api, p throws(WebParameterError) in
            try await api.topicCountsByBroker(p)
        },
        .query("admin_query_cluster_topic_view") { api, p throws(WebParameterError) in
            try await api.clusterTopicView(p)
        },
        .modify("admin_release_broker_autoforbidden_status") { api, p throws(WebParameterError) in
            // TubeMQ's master forbids a broker on its own when the broker reports too many bad
            // disks; ours never does (`isAutoForbidden` is always false), so there is nothing to
            // release. The call is checked as TubeMQ checks it and answers the same plain success.
            let ids = try p.int32List(.brokerID, required: true)
            _ = try p.string(.releaseReason)
            _ = try p.modifier()
            for id in ids where await api.master.broker(id: id) == nil {
                throw WebParameterError("Broker \(id) does not exist!")
            }
            return Envelope.success(objects: [])
        },
    ]

    /// The deployments selected by the optional `topicName` and `brokerId` lists, by topic, with the
    /// brokers by id. Deployments on a broker without a record are left out, as TubeMQ does.
    private func selectedDeployments(
        _ p: WebParameters
    ) async throws(WebParameterError) -> (topics: [(Topic, [TopicDeployment])], brokers: [Int32: BrokerStatus]) {
        let names = Set(try p.list(.topicName))
        let ids = Set(try p.int32List(.brokerID))
        let brokers = Dictionary(uniqueKeysWithValues: await master.brokers().map { ($0.config.id, $0) })
        var topics: [(Topic, [TopicDeployment])] = []
        for topic in await master.topics() where names.isEmpty || names.contains(topic.name) {
            let deployments = topic.deployments.filter {
                (ids.isEmpty || ids.contains($0.brokerID)) && brokers[$0.brokerID] != nil
            }
            guard !deployments.isEmpty else { continue }
            topics.append((topic, deployments))
        }
        return (topics, brokers)
    }

    /// `admin_query_broker_topic_config_info`: per topic, its brokers, stores and partitions as
    /// configured, as running, and as taking messages and being consumed.
    func topicCountsByTopic(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let (topics, brokers) = try await selectedDeployments(p)
        let items: [JSONObject] = topics.map { topic, deployments in
            var configured = TopicCounts()
            var running = TopicCounts()
            var publishing = TopicCounts()
            var consumable = TopicCounts()
            for deployment in deployments {
                configured.add(
                    stores: deployment.settings.numTopicStores,
                    partitions: deployment.settings.numPartitions
                )
                let run = DeploymentRun(deployment, broker: brokers[deployment.brokerID])
                guard let share = run.share else { continue }
                if run.acceptPublish { publishing.add(share) }
                if run.acceptSubscribe { consumable.add(share) }
                if run.acceptPublish || run.acceptSubscribe { running.add(share) }
            }
            return [
                "topicName": .string(topic.name),
                "brokerTotalCfgCnt": .int(configured.brokers), "brokerTotalRunCnt": .int(running.brokers),
                "storeTotalCfgCnt": .number(configured.stores), "storeTotalRunCnt": .number(running.stores),
                "partTotalCfgCnt": .number(configured.partitions), "partTotalRunCnt": .number(running.partitions),
                "brokerAccPubTotalCnt": .int(publishing.brokers), "brokerAccSubTotalCnt": .int(consumable.brokers),
                "storeAccPubTotalCnt": .number(publishing.stores), "storeAccSubTotalCnt": .number(consumable.stores),
                "partAccPubTotalCnt": .number(publishing.partitions),
                "partAccSubTotalCnt": .number(consumable.partitions),
                "topicSrvAccPubStatus": .bool(publishing.brokers > 0),
                "topicSrvAccSubStatus": .bool(consumable.brokers > 0),
                "enableAuthControl": .bool(topic.enableAuthControl),
            ]
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_topic_broker_config_info`: per broker, its state and its topics, stores and
    /// partitions as configured and as taking messages and being consumed (counted from the
    /// configured settings, and only while the broker runs).
    func topicCountsByBroker(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let (topics, brokers) = try await selectedDeployments(p)
        var byBroker: [Int32: [TopicDeployment]] = [:]
        for (_, deployments) in topics {
            for deployment in deployments { byBroker[deployment.brokerID, default: []].append(deployment) }
        }
        let items: [JSONObject] = byBroker.keys.sorted().compactMap { id in
            guard let broker = brokers[id] else { return nil }
            let runs = RecordJSON.isRunning(broker)
            let status = broker.config.manageStatus
            let brokerPublishes = runs && status.acceptsPublish
            let brokerIsConsumed = runs && status.acceptsSubscribe
            var configured = TopicCounts()
            var publishing = TopicCounts()
            var consumable = TopicCounts()
            for deployment in byBroker[id] ?? [] {
                let stores = deployment.settings.numTopicStores
                let partitions = deployment.settings.numPartitions
                configured.add(stores: stores, partitions: partitions)
                if brokerPublishes && deployment.settings.acceptPublish {
                    publishing.add(stores: stores, partitions: partitions)
                }
                if brokerIsConsumed && deployment.settings.acceptSubscribe {
                    consumable.add(stores: stores, partitions: partitions)
                }
            }
            return [
                "brokerId": .int(id), "brokerIp": .string(broker.config.host), "brokerPort": .int(broker.config.port),
                "manageStatus": .string(status.description),
                "acceptPublish": .bool(brokerPublishes), "acceptSubscribe": .bool(brokerIsConsumed),
                "nodeRunInfo": .string(runs ? "running" : "-"),
                "topicTotalCfgCnt": .int(configured.brokers), "storeTotalCfgCnt": .number(configured.stores),
                "partTotalCfgCnt": .number(configured.partitions),
                "topicAccPubTotalCnt": .int(publishing.brokers), "topicAccSubTotalCnt": .int(consumable.brokers),
                "storeAccPubTotalCnt": .number(publishing.stores), "storeAccSubTotalCnt": .number(consumable.stores),
                "partAccPubTotalCnt": .number(publishing.partitions),
                "partAccSubTotalCnt": .number(consumable.partitions),
            ]
        }
        return Envelope.success(objects: items)
    }

    /// `admin_query_cluster_topic_view`: per topic, its brokers, stores and partitions as configured
    /// and as loaded by running brokers, and whether some broker takes or serves it.
    func clusterTopicView(_ p: WebParameters) async throws(WebParameterError) -> JSONObject {
        let (topics, brokers) = try await selectedDeployments(p)
        let items: [JSONObject] = topics.map { topic, deployments in
            var configured = TopicCounts()
            var loaded = TopicCounts()
            var publishes = false
            var isConsumed = false
            for deployment in deployments {
                configured.add(
                    stores: deployment.settings.numTopicStores,
                    partitions: deployment.settings.numPartitions
                )
                let run = DeploymentRun(deployment, broker: brokers[deployment.brokerID])
                guard let share = run.share else { continue }
                loaded.add(share)
                publishes = publishes || run.acceptPublish
                isConsumed = isConsumed || run.acceptSubscribe
            }
            return [
                "topicName": .string(topic.name), "totalCfgBrokerCnt": .int(configured.brokers),
                "totalCfgNumStore": .number(configured.stores), "totalRunNumStore": .number(loaded.stores),
                "totalCfgNumPart": .number(configured.partitions),
                "totalRunNumPartCount": .number(loaded.partitions),
                "isSrvAcceptPublish": .bool(publishes), "isSrvAcceptSubscribe": .bool(isConsumed),
                "enableAuthControl": .bool(topic.enableAuthControl),
            ]
        }
        return Envelope.success(objects: items)
    }
}

/// Brokers (or topics), stores and partitions added up for the count views.
private struct TopicCounts {
    var brokers = 0
    var stores: Int64 = 0
    var partitions: Int64 = 0

    /// Adds one deployment of `stores` stores of `partitions` partitions each.
    mutating func add(stores: Int32, partitions: Int32) {
        brokers += 1
        self.stores += Int64(stores)
        self.partitions += Int64(stores) * Int64(partitions)
    }

    /// Adds what a running broker has loaded.
    mutating func add(_ share: TopicPublishInfo.BrokerShare) {
        add(stores: share.numTopicStores, partitions: share.numPartitions)
    }
}
