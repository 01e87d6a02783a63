import TubeMQCore

extension MasterState {
    /// The client-balanced groups, sorted by name.
    public var clientBalanceGroups: [ClientBalanceGroup] {
        clientGroupsByName.values.sorted { $0.name < $1.name }
    }

    /// The client-balanced group `name`, if it has members.
    public func clientBalanceGroup(_ name: String) -> ClientBalanceGroup? { clientGroupsByName[name] }

    /// Registers a client-balanced consumer (method 20), creating its group for the first member.
    ///
    /// A consumer registering again replaces its old registration. The reply carries the serving
    /// brokers when the client's broker-list version is stale; the topic placement comes from
    /// ``clientBalanceMeta(clientID:group:brokerListID:topicMetaID:now:)`` (method 22).
    /// - Throws: ``MasterError`` 400 for a malformed request or a `nodeId` outside
    ///   `[0, sourceCount-1]`, 431 for a topic not deployed, 450 for a forbidden topic, 424 when the
    ///   group is server-balanced, 425/426/429 when the request differs from the other members.
    public mutating func registerClientBalanceConsumer(
        _ request: ClientBalanceRegistration,
        now: Int64
    ) throws(MasterError) -> ClientBalanceReply {
        if request.sourceCount > 0, request.nodeID < 0 || request.nodeID > request.sourceCount - 1 {
            throw .badRequest("Request nodeId value must be between in [0, sourceCount-1]!")
        }
        try validate(
            ConsumerRegistration(
                clientID: request.clientID,
                group: request.group,
                hostName: request.hostName,
                topics: request.topics,
                filters: request.filters
            )
        )
        if let server = groupsByName[request.group], server.members.keys.contains(where: { $0 != request.clientID }) {
            throw MasterError(
                code: .inconsistentConsumeType,
                message: "Consumer \(request.clientID) requests client-balanced consumption, but group"
                    + " \(request.group) is balanced by the server!"
            )
        }
        var group =
            clientGroupsByName[request.group]
            ?? ClientBalanceGroup(
                name: request.group,
                topics: request.topics,
                filters: GroupConsistency.normalized(request.filters),
                members: [:],
                topicMeta: [],
                topicMetaID: -2,
                consumeFromMaxID: -2
            )
        let others = group.members.values.filter { $0.clientID != request.clientID }
        if others.isEmpty {
            group.topics = request.topics
            group.filters = GroupConsistency.normalized(request.filters)
        } else {
            try Self.checkClientBalance(request, against: group)
        }
        if let previous = clientGroupOfConsumer[request.clientID], previous != request.group {
            removeClientBalanceConsumer(request.clientID, group: previous)
        }
        if let previous = groupOfConsumer[request.clientID] { removeConsumer(request.clientID, group: previous) }
        group.members[request.clientID] = ClientBalanceMember(
            clientID: request.clientID,
            hostName: request.hostName,
            sourceCount: request.sourceCount,
            nodeID: request.nodeID,
            registeredAt: now,
            lastHeartbeatAt: now,
            reported: Self.reportedByKey(
                (request.report.partitions ?? []).filter { request.topics.contains($0.topic) }
            ),
            lastAssignedAt: request.report.lastAssignedAt,
            topicMetaID: request.report.topicMetaID,
            consumeFromMaxID: request.consumeFromMaxID
        )
        clientGroupsByName[request.group] = group
        clientGroupOfConsumer[request.clientID] = request.group
        return ClientBalanceReply(
            brokerListID: brokerChecksum,
            brokers: request.report.brokerListID == brokerChecksum ? nil : servingBrokers,
            topicMetaID: nil,
            topicMeta: nil,
            consumeFromMaxID: consumeFromMaxTask(group: group, heldID: request.consumeFromMaxID)
        )
    }

    /// Records a client-balanced consumer's heartbeat (method 21).
    ///
    /// A report (`reportSubInfo`) replaces what the master knows the consumer consumes. The reply
    /// carries the serving brokers when the client's version is stale, and the topic placement
    /// only when the client consumes something and last changed its assignment more than
    /// `metaForceUpdatePeriodMs` ago (so a client that missed a change catches up).
    /// - Throws: ``MasterError`` 411 when the group or the consumer is unknown.
    public mutating func clientBalanceHeartbeat(
        clientID: String,
        group name: String,
        report: ClientBalanceReport,
        consumeFromMaxID: Int64,
        now: Int64
    ) throws(MasterError) -> ClientBalanceReply {
        guard var group = clientGroupsByName[name] else { throw .unknownGroup(name) }
        guard var member = group.members[clientID] else { throw .unknownConsumer(clientID, group: name) }
        member.lastHeartbeatAt = now
        member.lastAssignedAt = report.lastAssignedAt
        member.topicMetaID = report.topicMetaID
        member.consumeFromMaxID = consumeFromMaxID
        // Partitions of topics the group does not consume are not its (and not kept).
        if let partitions = report.partitions {
            member.reported = Self.reportedByKey(partitions.filter { group.topics.contains($0.topic) })
        }
        group.members[clientID] = member
        clientGroupsByName[name] = group
        var reply = ClientBalanceReply(
            brokerListID: brokerChecksum,
            brokers: report.brokerListID == brokerChecksum ? nil : servingBrokers,
            topicMetaID: nil,
            topicMeta: nil,
            consumeFromMaxID: consumeFromMaxTask(group: group, heldID: consumeFromMaxID)
        )
        if member.lastAssignedAt >= 0, !member.reported.isEmpty,
            now - member.lastAssignedAt > Self.metaForceUpdatePeriodMs
        {
            reply.topicMetaID = group.topicMetaID
            if group.topicMetaID != report.topicMetaID { reply.topicMeta = group.topicMeta }
        }
        return reply
    }

    /// Answers a client-balanced consumer's metadata request (method 22): the group's topic
    /// placement (computed now if it never was) and the serving brokers, each only when the
    /// client's version is stale.
    /// - Throws: ``MasterError`` 411 when the group or the consumer is unknown.
    public mutating func clientBalanceMeta(
        clientID: String,
        group name: String,
        brokerListID: Int64,
        topicMetaID: Int64,
        now: Int64
    ) throws(MasterError) -> ClientBalanceReply {
        guard clientGroupsByName[name] != nil else { throw .unknownGroup(name) }
        guard clientGroupsByName[name]?.members[clientID] != nil else {
            throw .unknownConsumer(clientID, group: name)
        }
        clientGroupsByName[name]?.members[clientID]?.lastHeartbeatAt = now
        if clientGroupsByName[name]?.topicMetaID == -2 { refreshTopicMeta(group: name, now: now) }
        guard let group = clientGroupsByName[name] else { throw .unknownGroup(name) }
        return ClientBalanceReply(
            brokerListID: brokerChecksum,
            brokers: brokerListID == brokerChecksum ? nil : servingBrokers,
            topicMetaID: group.topicMetaID,
            topicMeta: group.topicMetaID == topicMetaID ? nil : group.topicMeta,
            consumeFromMaxID: nil
        )
    }

    /// Asks the client-balanced group `name` to start its partitions from their newest message
    /// (`admin_set_client_balance_group_consume_from_max`): members learn it in their next
    /// heartbeat reply (`csmFrmMaxOffsetCtrlId`).
    /// - Throws: ``MasterError`` 401 when no client-balanced group of that name is online.
    public mutating func setClientBalanceConsumeFromMax(group name: String, now: Int64) throws(MasterError) {
        guard var group = clientGroupsByName[name] else {
            throw MasterError(code: .recordNotFound, message: "No client-balanced group \(name) is online!")
        }
        group.consumeFromMaxID = group.consumeFromMaxID.nextVersion(now: now)
        clientGroupsByName[name] = group
    }

    /// Recomputes the topic placement of every client-balanced group (each balance round does).
    public mutating func refreshClientBalanceMeta(now: Int64) {
        for name in clientGroupsByName.keys.sorted() { refreshTopicMeta(group: name, now: now) }
    }

    /// How long after a client's last assignment change its heartbeat replies carry the topic
    /// placement again (`maxMetaForceUpdatePeriodMs`, 3 minutes upstream).
    public static let metaForceUpdatePeriodMs: Int64 = 180_000

    // MARK: internals

    /// Removes a client-balanced consumer; its group goes when it was the last member.
    @discardableResult
    mutating func removeClientBalanceConsumer(_ clientID: String, group name: String) -> Bool {
        guard var group = clientGroupsByName[name], group.members[clientID] != nil else { return false }
        group.members[clientID] = nil
        clientGroupOfConsumer[clientID] = nil
        clientGroupsByName[name] = group.members.isEmpty ? nil : group
        return true
    }

    private mutating func refreshTopicMeta(group name: String, now: Int64) {
        guard var group = clientGroupsByName[name] else { return }
        let forbidden = groupSettingsByName[name]?.consumeDisabled ?? [:]
        let meta = group.topics.sorted().compactMap { topicName -> TopicPartitionMeta? in
            guard let topic = topicsByName[topicName] else { return nil }
            let deployments = topic.deployments.filter { $0.status == .normal }.map { deployment in
                // A serving broker's partitions are the ones it has loaded (a partition an admin call
                // added is listed once the broker has created it); a deployment it has not loaded at all
                // is listed as not subscribable.
                let served = servedShare(of: topicName, on: deployment.brokerID)
                let subscribable =
                    deployment.settings.acceptSubscribe && forbidden[topicName] == nil
                    && (brokerConfigs[deployment.brokerID]?.manageStatus.acceptsSubscribe ?? false)
                    && isServing(deployment.brokerID) && served != nil
                return TopicPartitionMeta.Deployment(
                    brokerID: deployment.brokerID,
                    numTopicStores: served?.numTopicStores ?? deployment.settings.numTopicStores,
                    numPartitions: served?.numPartitions ?? deployment.settings.numPartitions,
                    subscribable: subscribable
                )
            }
            return deployments.isEmpty ? nil : TopicPartitionMeta(topic: topicName, deployments: deployments)
        }
        guard meta != group.topicMeta || group.topicMetaID == -2 else { return }
        group.topicMeta = meta
        group.topicMetaID = group.topicMetaID.nextVersion(now: now)
        clientGroupsByName[name] = group
    }

    private func consumeFromMaxTask(group: ClientBalanceGroup, heldID: Int64) -> Int64? {
        group.consumeFromMaxID != -2 && group.consumeFromMaxID != heldID ? group.consumeFromMaxID : nil
    }

    private static func reportedByKey(_ partitions: [ReportedPartition]) -> [String: ReportedPartition] {
        var out: [String: ReportedPartition] = [:]
        for partition in partitions { out[partition.key] = partition }
        return out
    }

    private static func checkClientBalance(
        _ request: ClientBalanceRegistration,
        against group: ClientBalanceGroup
    ) throws(MasterError) {
        let who = "Consumer \(request.clientID) of group \(group.name)"
        guard request.topics == group.topics else {
            throw MasterError(
                code: .inconsistentTopicSet,
                message: "\(who) subscribes topics \(request.topics.sorted()), but the group subscribes"
                    + " \(group.topics.sorted())!"
            )
        }
        guard GroupConsistency.normalized(request.filters) == group.filters else {
            throw MasterError(
                code: .inconsistentFilterSet,
                message: "\(who) filters differently from the other members of the group!"
            )
        }
    }
}
