import Logging
import TubeMQCore
import TubeMQWire

/// What a client-assigned consumer knows from the master (methods 20–22).
struct ClientBalanceView: Sendable {
    /// The serving brokers by id, and their version (`brokerConfigId`).
    var brokers: [Int32: BrokerInfo] = [:]
    var brokerListID: Int64 = -2
    /// Where the group's topics live, and its version (`topicMetaInfoId`).
    var topicMeta: [MetadataStrings.TopicMeta] = []
    var topicMetaID: Int64 = -2
    /// When the consumer last changed what it holds (ms), -2 before its first assignment.
    var assignedAt: Int64 = -2
    /// The "consume from max offset" task applied last (`csmFrmMaxOffsetCtrlId`), -2 for none.
    var consumeFromMaxID: Int64 = -2
}

/// Client assignment (``Consumer/Assignment/client(_:)``): register (method 20), heartbeat (21)
/// reporting the held partitions, and metadata (22); the consumer connects the partitions it
/// chooses from the metadata and gives up those that are gone or no longer consumable.
extension ConsumerSession {
    /// Registers a client-assigned consumer (waiting up to `wait` for an active master while the
    /// masters answer that they are standby), then learns where its topics live and takes its partitions.
    ///
    /// - Throws: ``ClientError`` `rejected` or `masterUnavailable`.
    func registerClientBalance(
        _ choice: Consumer.ClientPartitions,
        awaitingActive wait: Duration? = nil
    ) async throws(ClientError) {
        var request = RegisterRequestC2MV2()
        request.clientID = clientID
        request.groupName = configuration.group
        request.hostName = host
        (request.sourceCount, request.nodeID) = choice.node
        request.topicList = configuration.topics.keys.sorted()
        request.topicCondition = configuration.topics.sorted { $0.key < $1.key }.compactMap { topic, types in
            types.isEmpty ? nil : MetadataStrings.topicCondition(topic: topic, filters: types.sorted())
        }
        request.subRepInfo = subscriptionReport()
        request.opsTaskInfo = heldOpsTasks()
        if let certificate = authenticator.certificate(registering: true) { request.authInfo = certificate }
        let reply: RegisterResponseM2CV2 = try await master.call(.consumerRegisterV2, request, awaitingActive: wait)
        guard reply.errCode == ErrorCode.success.rawValue else {
            throw .rejected("the master refused the consumer", code: reply.errCode, text: reply.errMsg)
        }
        if reply.hasOpsTaskInfo { learnOpsTasks(reply.opsTaskInfo) }
        registeredWithMaster = true
        quickHeartbeatsUntil = .now + Self.quickHeartbeatWindow
        learnBrokers(id: reply.brokerConfigID, list: reply.brokerConfigList)
        if reply.hasAuthorizedInfo { visitToken = reply.authorizedInfo.visitAuthorizedToken }
        authenticator.accept(reply.hasAuthorizedInfo ? reply.authorizedInfo : nil, requireAuth: false)
        logger.debug("client-assigned consumer registered")
    }

    /// One heartbeat (method 21) and one metadata request (22), then the partitions are brought in
    /// line with the metadata. A 411 leads to a new registration.
    func heartbeatClientBalance(_ choice: Consumer.ClientPartitions) async {
        var request = HeartRequestC2MV2()
        request.clientID = clientID
        request.groupName = configuration.group
        request.subRepInfo = subscriptionReport()
        request.opsTaskInfo = heldOpsTasks()
        if let certificate = authenticator.certificate(registering: false) { request.authInfo = certificate }
        do {
            let reply: HeartResponseM2CV2 = try await master.call(.consumerHeartbeatV2, request)
            guard acceptClientBalanceReply(code: reply.errCode, text: reply.errMsg) else { return }
            if reply.hasOpsTaskInfo { learnOpsTasks(reply.opsTaskInfo) }
            if reply.opsTaskInfo.hasCsmFrmMaxOffsetCtrlID,
                reply.opsTaskInfo.csmFrmMaxOffsetCtrlID != clientBalance.consumeFromMaxID
            {
                await consumeFromMax(task: reply.opsTaskInfo.csmFrmMaxOffsetCtrlID)
            }
            learnBrokers(id: reply.brokerConfigID, list: reply.brokerConfigList)
            if reply.hasTopicMetaInfoID { learnTopicMeta(id: reply.topicMetaInfoID, list: reply.topicMetaInfoList) }
            if reply.hasAuthorizedInfo { visitToken = reply.authorizedInfo.visitAuthorizedToken }
            authenticator.accept(
                reply.hasAuthorizedInfo ? reply.authorizedInfo : nil,
                requireAuth: reply.hasOpsTaskInfo && reply.opsTaskInfo.requireAuth
            )
            var meta = GetPartMetaRequestC2M()
            meta.clientID = clientID
            meta.groupName = configuration.group
            meta.brokerConfigID = clientBalance.brokerListID
            meta.topicMetaInfoID = clientBalance.topicMetaID
            if let certificate = authenticator.certificate(registering: false) { meta.authInfo = certificate }
            let metaReply: GetPartMetaResponseM2C = try await master.call(.consumerGetPartitionMeta, meta)
            guard acceptClientBalanceReply(code: metaReply.errCode, text: metaReply.errMsg) else { return }
            learnBrokers(id: metaReply.brokerConfigID, list: metaReply.brokerConfigList)
            learnTopicMeta(id: metaReply.topicMetaInfoID, list: metaReply.topicMetaInfoList)
        } catch {
            logger.warning("master heartbeat failed; retrying", metadata: ["tubemq.error": "\(error)"])
            return
        }
        guard lifecycle == .running else { return }
        await assignClientPartitions(choice)
    }

    /// Connects the chosen partitions not held yet and gives up held ones no longer chosen.
    func assignClientPartitions(_ choice: Consumer.ClientPartitions) async {
        var available: [Partition] = []
        for meta in clientBalance.topicMeta where configuration.topics[meta.topic] != nil {
            for deployment in meta.deployments where deployment.subscribable {
                guard let broker = clientBalance.brokers[deployment.brokerID] else { continue }
                for id in deployment.partitionIDs {
                    available.append(Partition(broker: broker, topic: meta.topic, id: id))
                }
            }
        }
        available.sort { $0.key < $1.key }
        let chosen = available.enumerated().filter { choice.chooses(key: $0.element.key, index: $0.offset) }.map(
            \.element
        )
        let chosenKeys = Set(chosen.map(\.key))
        let gone = heldPartitions.filter { !chosenKeys.contains($0.key) }
        let new = chosen.filter { held[$0.key] == nil }
        guard !gone.isEmpty || !new.isEmpty else { return }
        logger.debug(
            "client assignment changes",
            metadata: ["tubemq.connect": "\(new.map(\.key))", "tubemq.disconnect": "\(gone.map(\.key))"]
        )
        if !gone.isEmpty { await disconnect(gone, grace: configuration.confirmTimeout) }
        if !new.isEmpty { await connect(new) }
        clientBalance.assignedAt = ClientIdentity.millisecondsNow()
    }

    /// The `subRepInfo` of a register or heartbeat request: the versions held and the partitions held.
    private func subscriptionReport() -> ClientSubRepInfo {
        var info = ClientSubRepInfo()
        info.brokerConfigID = clientBalance.brokerListID
        info.topicMetaInfoID = clientBalance.topicMetaID
        if clientBalance.assignedAt >= 0 { info.lstAssignedTime = clientBalance.assignedAt }
        let partitions = heldPartitions
        info.reportSubInfo = !partitions.isEmpty
        if !partitions.isEmpty { info.partSubInfo = MetadataStrings.partSubInfo(partitions) }
        return info
    }

    /// The flow-rule versions and the consume-from-max task held, for `opsTaskInfo`.
    private func heldOpsTasks() -> OpsTaskInfo {
        var info = OpsTaskInfo()
        (info.defFlowCheckID, info.groupFlowCheckID) = flow.versions
        if clientBalance.consumeFromMaxID >= 0 { info.csmFrmMaxOffsetCtrlID = clientBalance.consumeFromMaxID }
        return info
    }

    /// The admin asked the group to start from the newest messages
    /// (`admin_set_client_balance_group_consume_from_max`): every held partition is given up and
    /// taken again from its broker's maximum offset (readStatus 2), once per task.
    private func consumeFromMax(task: Int64) async {
        clientBalance.consumeFromMaxID = task
        let partitions = heldPartitions
        logger.info(
            "consuming from the newest messages, as the master asked",
            metadata: ["tubemq.task": "\(task)", "tubemq.partitions": "\(partitions.count)"]
        )
        guard !partitions.isEmpty else { return }
        await disconnect(partitions, grace: configuration.confirmTimeout)
        readStatusOverride = 2
        await connect(partitions)
        readStatusOverride = nil
        clientBalance.assignedAt = ClientIdentity.millisecondsNow()
    }

    /// Takes the flow-control rules of a reply's `opsTaskInfo`.
    private func learnOpsTasks(_ info: OpsTaskInfo) {
        flow.update(
            defaultsVersion: info.hasDefFlowCheckID ? info.defFlowCheckID : -2,
            defaultsText: info.defFlowControlInfo,
            groupVersion: info.hasGroupFlowCheckID ? info.groupFlowCheckID : -2,
            groupText: info.groupFlowControlInfo
        )
    }

    /// Handles a reply's result code: `true` for success; a 411 makes the next heartbeat register again.
    private func acceptClientBalanceReply(code: Int32, text: String) -> Bool {
        if code == ErrorCode.success.rawValue { return true }
        if code == ErrorCode.heartbeatNoNode.rawValue {
            logger.info(
                "the master does not know the consumer; registering again",
                metadata: ["tubemq.errMsg": "\(text)"]
            )
            registeredWithMaster = false
            heartbeatNow.signal()
        } else {
            if code == ErrorCode.certificateFailure.rawValue { authenticator.accept(nil, requireAuth: true) }
            logger.warning(
                "master refused the heartbeat",
                metadata: ["tubemq.errCode": "\(code)", "tubemq.errMsg": "\(text)"]
            )
        }
        return false
    }

    private func learnBrokers(id: Int64, list: [String]) {
        guard !list.isEmpty else { return }
        var brokers: [Int32: BrokerInfo] = [:]
        for entry in list {
            guard let broker = MetadataStrings.parseBrokerInfo(entry) else { continue }
            brokers[broker.id] = broker
        }
        clientBalance.brokers = brokers
        clientBalance.brokerListID = id
    }

    private func learnTopicMeta(id: Int64, list: [String]) {
        guard id != clientBalance.topicMetaID else { return }
        clientBalance.topicMeta = list.compactMap(MetadataStrings.parseTopicMeta)
        clientBalance.topicMetaID = id
    }
}
