public import TubeMQCore

extension MasterState {
    /// Registers a broker process (method 7).
    ///
    /// The broker must have a configuration record with the same address; it becomes
    /// ``BrokerRunState/registered`` (or ``BrokerRunState/online`` if it says so) and gets its full
    /// configuration back.
    /// - Throws: ``MasterError`` 400 when the broker is not configured or its address differs.
    public mutating func registerBroker(
        _ request: BrokerRegistration,
        now: Int64
    ) throws(MasterError) -> BrokerConfigReply {
        guard let config = brokerConfigs[request.id] else {
            throw .badRequest("Broker \(request.id) is not configured, add its configure first!")
        }
        guard config.host == request.host, config.port == request.port else {
            throw .badRequest(
                "Broker \(request.id) registered from \(request.host):\(request.port)"
                    + " but is configured at \(config.host):\(config.port)!"
            )
        }
        var runtime = BrokerRuntime()
        runtime.state = request.online ? .online : .registered
        runtime.registeredAt = now
        runtime.lastHeartbeatAt = now
        runtime.enableTLS = request.enableTLS
        runtime.tlsPort = request.tlsPort
        runtime.reportedConfigVersion = request.configVersion
        runtime.reported = request.reported
        // The reply carries the whole configuration, which the broker serves before it goes online.
        // Taking it as served here (rather than from the heartbeat that reports it) keeps a broker
        // whose one topic cannot be opened serving all the others after a restart; later changes
        // reach clients once a heartbeat reports them served.
        runtime.noteLoaded(configVersion: config.configVersion, shares: shares(on: request.id))
        brokerRuntimes[request.id] = runtime
        var directives: [MasterDirective] = []
        if let changed = refreshServingBrokers(now: now) { directives.append(changed) }
        return configReply(for: config, takeConfig: true, directives: directives)
    }

    /// Records a broker heartbeat (method 8): its online flag, its configuration version and the
    /// topics it removed (whose soft-removed deployments are then purged).
    /// - Throws: ``MasterError`` 411 when the broker is not registered.
    public mutating func brokerHeartbeat(
        _ request: BrokerHeartbeat,
        now: Int64
    ) throws(MasterError) -> BrokerConfigReply {
        guard var runtime = brokerRuntimes[request.id],
            runtime.state == .registered || runtime.state == .online,
            let config = brokerConfigs[request.id]
        else { throw .unknownBroker(request.id) }
        runtime.lastHeartbeatAt = now
        runtime.state = request.online ? .online : .registered
        runtime.reportedConfigVersion = request.configVersion
        runtime.reported = request.reported
        if request.configVersion == config.configVersion, runtime.loadedConfigVersion != config.configVersion {
            runtime.noteLoaded(configVersion: config.configVersion, shares: shares(on: request.id))
        }
        brokerRuntimes[request.id] = runtime
        var directives: [MasterDirective] = []
        for name in Set(request.removedTopics).sorted() {
            guard var topic = topicsByName[name], topic.deployment(on: request.id)?.status == .softRemoved else {
                continue
            }
            topic.removeDeployment(on: request.id)
            topicsByName[name] = topic
            directives.append(.persistTopic(topic))
        }
        if let changed = refreshServingBrokers(now: now) { directives.append(changed) }
        let current = brokerConfigs[request.id] ?? config
        return configReply(
            for: current,
            takeConfig: request.configVersion != current.configVersion,
            directives: directives
        )
    }

    /// Takes a broker out of service because it said goodbye (method 9).
    /// - Returns: a ``MasterDirective/brokerListChanged(checksum:)`` if the broker was serving.
    @discardableResult
    public mutating func closeBroker(id: Int32, now: Int64) -> [MasterDirective] {
        guard brokerRuntimes[id] != nil else { return [] }
        brokerRuntimes[id]?.state = .offline
        return refreshServingBrokers(now: now).map { [$0] } ?? []
    }

    /// The partition map producers get for `topic`: the serving brokers that accept its messages,
    /// each with the partitions it has loaded (``servedShare(of:on:)``). `nil` when no broker takes the
    /// topic's messages.
    public func publishInfo(topic name: String) -> TopicPublishInfo? {
        guard let topic = topicsByName[name] else { return nil }
        let shares = topic.deployments.compactMap { deployment -> TopicPublishInfo.BrokerShare? in
            guard deployment.status == .normal, deployment.settings.acceptPublish,
                let config = brokerConfigs[deployment.brokerID], config.manageStatus.acceptsPublish,
                isServing(deployment.brokerID)
            else { return nil }
            return servedShare(of: name, on: deployment.brokerID)
        }
        return shares.isEmpty ? nil : TopicPublishInfo(topic: name, brokers: shares, maxMsgSize: topic.maxMsgSize)
    }

    /// Every partition of `topic` that consumers may be assigned: on serving brokers that accept
    /// subscribe, in deployments that are in service and accept subscribe; sorted.
    public func subscribablePartitions(topic name: String) -> [Partition] {
        guard let topic = topicsByName[name] else { return [] }
        var partitions: [Partition] = []
        for deployment in topic.deployments {
            guard deployment.status == .normal, deployment.settings.acceptSubscribe,
                let config = brokerConfigs[deployment.brokerID], config.manageStatus.acceptsSubscribe,
                isServing(deployment.brokerID),
                let share = servedShare(of: name, on: deployment.brokerID)
            else { continue }
            for id in share.partitionIDs {
                partitions.append(Partition(broker: config.info, topic: name, id: id))
            }
        }
        return partitions.sorted(by: Partition.balanceOrder)
    }

    /// The share of `topic` that broker `brokerID` serves: its deployment as of the configuration version
    /// the broker was given at registration or last reported holding in a heartbeat (a broker reports a
    /// version only once it serves every topic of it). `nil` until the broker has loaded a deployment of the
    /// topic. Partitions and stores only grow, so this never names a partition the deployment lacks; an
    /// admin call that adds some reaches clients one broker heartbeat after it reached the broker.
    public func servedShare(of topic: String, on brokerID: Int32) -> TopicPublishInfo.BrokerShare? {
        brokerRuntimes[brokerID]?.loadedShares[topic]
    }

    // MARK: internals

    /// The shares of every topic the broker keeps as its configuration now stands: every deployment on
    /// `brokerID` but the soft-removed ones, which the configuration tells it to drop.
    func shares(on brokerID: Int32) -> [String: TopicPublishInfo.BrokerShare] {
        var shares: [String: TopicPublishInfo.BrokerShare] = [:]
        for topic in topicsByName.values {
            guard let deployment = topic.deployment(on: brokerID), deployment.status != .softRemoved else { continue }
            shares[topic.name] = TopicPublishInfo.BrokerShare(
                brokerID: brokerID,
                numPartitions: deployment.settings.numPartitions,
                numTopicStores: deployment.settings.numTopicStores
            )
        }
        return shares
    }

    func isServing(_ brokerID: Int32) -> Bool {
        brokerRuntimes[brokerID]?.state == .online && brokerConfigs[brokerID]?.manageStatus.isInService == true
    }

    /// Recomputes the serving broker list; bumps the checksum and returns a directive if it changed.
    mutating func refreshServingBrokers(now: Int64) -> MasterDirective? {
        let serving = brokerConfigs.values
            .filter { isServing($0.id) }
            .map(\.info)
            .sorted { $0.id < $1.id }
        guard serving != servingBrokers else { return nil }
        servingBrokers = serving
        brokerChecksum = brokerChecksum.nextVersion(now: now)
        return .brokerListChanged(checksum: brokerChecksum)
    }

    func configReply(for config: BrokerRecord, takeConfig: Bool, directives: [MasterDirective]) -> BrokerConfigReply {
        var kept: [DeployedTopic] = []
        var removed: [DeployedTopic] = []
        for topic in topicsByName.values.sorted(by: { $0.name < $1.name }) {
            guard let deployment = topic.deployment(on: config.id) else { continue }
            let entry = DeployedTopic(deployment: deployment, maxMsgSizeInMB: topic.maxMsgSizeInMB)
            if deployment.status == .softRemoved { removed.append(entry) } else { kept.append(entry) }
        }
        return BrokerConfigReply(
            stopRead: !config.manageStatus.acceptsSubscribe,
            stopWrite: !config.manageStatus.acceptsPublish,
            takeConfig: takeConfig,
            configVersion: config.configVersion,
            defaults: config.defaults,
            topics: kept,
            removedTopics: removed,
            directives: directives
        )
    }
}
