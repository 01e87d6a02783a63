import TubeMQCore

extension MasterState {
    /// Registers a consumer in its group (method 4), creating the group for its first member.
    ///
    /// A consumer that registers again (after a 411, or a restart) replaces its old registration:
    /// its events are dropped and the partitions it names in `held` become what the master knows it
    /// holds, to be confirmed by the next balance round (``ConsumerMember/claimsUnconfirmed``), which
    /// is brought forward to now (or to the end of the first balance delay). A sole member re-registering may change the group's topics and filters. A consumer
    /// registering in another group leaves its old group first (only if the new one accepts it).
    /// - Throws: ``MasterError`` 400 for a malformed request, 431 when a topic is not deployed,
    ///   450 when the group may not consume a topic, 424–429 when the request is inconsistent with
    ///   the group's other members.
    public mutating func registerConsumer(
        _ request: ConsumerRegistration,
        now: Int64
    ) throws(MasterError) -> ConsumerRegisterReply {
        try validate(request)
        // Partitions it says it holds are kept only when they are partitions of its topics that the
        // metadata defines (as the master's own records): a claim can name anything, and the master
        // kept a 15 MB list of made-up ones.
        let held = knownPartitions(request.held, of: request.topics)
        if let client = clientGroupsByName[request.group],
            client.members.keys.contains(where: { $0 != request.clientID })
        {
            throw MasterError(
                code: .inconsistentConsumeType,
                message: "Consumer \(request.clientID) requests server-balanced consumption, but group"
                    + " \(request.group) is balanced by its clients!"
            )
        }
        if let previous = clientGroupOfConsumer[request.clientID] {
            removeClientBalanceConsumer(request.clientID, group: previous)
        }
        var group =
            groupsByName[request.group]
            ?? ConsumerGroup(
                name: request.group,
                topics: [],
                filters: [:],
                bound: nil,
                members: [:],
                allocated: false,
                pendingConnects: [],
                boundOffsets: [:],
                lastRebalanceID: 0
            )
        let others = group.members.keys.filter { $0 != request.clientID }
        if others.isEmpty {
            group.topics = request.topics
            group.filters = GroupConsistency.normalized(request.filters)
            group.bound = request.bound.map {
                BoundSession(
                    sessionKey: $0.sessionKey,
                    sessionTime: $0.sessionTime,
                    totalCount: $0.totalCount,
                    selectBig: $0.selectBig
                )
            }
        } else {
            try GroupConsistency.check(request, against: group)
            if let session = group.bound, others.count >= Int(session.totalCount) {
                throw MasterError(
                    code: .inconsistentSourceCount,
                    message: "Group \(group.name) already has its \(session.totalCount) bound consumers,"
                        + " \(request.clientID) cannot join!"
                )
            }
        }
        if let previous = groupOfConsumer[request.clientID], previous != request.group {
            removeConsumer(request.clientID, group: previous)
        }
        group.removeMember(request.clientID)
        group.members[request.clientID] = ConsumerMember(
            clientID: request.clientID,
            hostName: request.hostName,
            registeredAt: now,
            lastHeartbeatAt: now,
            hasHeartbeated: false,
            held: Self.byKey(held),
            claimsUnconfirmed: !held.isEmpty,
            inFlight: nil,
            queued: [],
            requiredOffsets: request.bound?.requiredOffsets ?? [:],
            overTLS: request.overTLS
        )
        groupsByName[request.group] = group
        groupOfConsumer[request.clientID] = request.group
        if !held.isEmpty {
            // Answer the claim in the next round, not a balance period later; the first round after
            // the master's start keeps its delay, so the brokers can register first.
            nextBalanceAt = min(nextBalanceAt, max(now, startedAt + configuration.firstBalanceDelayMs))
        }
        return ConsumerRegisterReply(notAllocated: group.notAllocated)
    }

    /// Records a consumer heartbeat (method 5) and answers with the consumer's next event, if any.
    ///
    /// In order: an acknowledgement matching the in-flight event (same rebalance id and type, status
    /// DONE or FAILED) clears it, and a DONE marks the group allocated; an acknowledged
    /// `ONLY_DISCONNECT` releases the `ONLY_CONNECT`s that waited for it; a report
    /// (`reportSubscribeInfo = true`) replaces what the master knows the consumer holds; then, if
    /// nothing is in flight, the next queued event is delivered and becomes in flight. An in-flight
    /// event is delivered once and never repeated; until it is acknowledged (or the consumer leaves or
    /// registers again) the consumer gets no other event and its group is not rebalanced.
    /// - Throws: ``MasterError`` 411 when the group or the consumer is unknown.
    public mutating func consumerHeartbeat(
        _ request: ConsumerHeartbeat,
        now: Int64
    ) throws(MasterError) -> ConsumerHeartbeatReply {
        guard var group = groupsByName[request.group] else { throw .unknownGroup(request.group) }
        guard var member = group.members[request.clientID] else {
            throw .unknownConsumer(request.clientID, group: request.group)
        }
        member.lastHeartbeatAt = now
        member.hasHeartbeated = true
        var releasedDisconnect = false
        if let ack = request.ack, let inFlight = member.inFlight,
            ack.rebalanceID == inFlight.rebalanceID, ack.type == inFlight.type,
            ack.status == .done || ack.status == .failed
        {
            member.inFlight = nil
            if ack.status == .done { group.allocated = true }
            releasedDisconnect = inFlight.type == .onlyDisconnect
        }
        if let report = request.report { member.held = Self.byKey(knownPartitions(report, of: group.topics)) }
        var delivered: RebalanceEvent?
        if member.inFlight == nil, !member.queued.isEmpty {
            delivered = member.queued.removeFirst()
            member.inFlight = delivered
        }
        group.members[request.clientID] = member
        if releasedDisconnect { group.disconnectResolved(by: request.clientID) }
        groupsByName[request.group] = group
        return ConsumerHeartbeatReply(event: delivered, notAllocated: group.notAllocated)
    }

    /// Removes a consumer from its group (method 6); its partitions are handed to the others by a
    /// balance round due at once, and connects waiting for its disconnect are released.
    /// - Returns: whether the consumer was known. Closing an unknown consumer is not an error.
    @discardableResult
    public mutating func closeConsumer(clientID: String, group: String, now: Int64) -> Bool {
        if let clientGroup = clientGroupOfConsumer[clientID] {
            return removeClientBalanceConsumer(clientID, group: clientGroup)
        }
        let name = groupsByName[group]?.members[clientID] != nil ? group : groupOfConsumer[clientID]
        guard let name else { return false }
        let removed = removeConsumer(clientID, group: name)
        if removed, groupsByName[name] != nil { balanceSoon(now: now) }
        return removed
    }

    /// Brings the next balance round forward to `now` (the first round after the master's start keeps
    /// its delay): a member left a group, and the others should take its partitions without waiting
    /// out a balance period. Rounds brought forward come at most one a second, however many
    /// consumers leave.
    mutating func balanceSoon(now: Int64) {
        guard configuration.balancesWhenAMemberLeaves else { return }
        let earliest = max(now, startedAt + configuration.firstBalanceDelayMs, (lastBalanceAt ?? .min / 2) + 1_000)
        nextBalanceAt = min(nextBalanceAt, earliest)
    }

    // MARK: internals

    @discardableResult
    mutating func removeConsumer(_ clientID: String, group name: String) -> Bool {
        guard var group = groupsByName[name], group.members[clientID] != nil else { return false }
        group.removeMember(clientID)
        groupOfConsumer[clientID] = nil
        groupsByName[name] = group.members.isEmpty ? nil : group
        return true
    }

    /// The partitions of `claimed` that exist in the metadata (a deployment of one of `topics` on the
    /// partition's broker, with its store and index in range), once each, described by the master's
    /// broker record rather than by the claim. Structural, so claims made right after a takeover,
    /// before the brokers registered again, still count.
    func knownPartitions(_ claimed: [Partition], of topics: Set<String>) -> [Partition] {
        var seen = Set<String>()
        var known: [Partition] = []
        for partition in claimed where topics.contains(partition.topic) {
            guard let deployment = topicsByName[partition.topic]?.deployment(on: partition.broker.id),
                let config = brokerConfigs[partition.broker.id],
                partition.id >= 0,
                partition.id / 10_000 < deployment.settings.numTopicStores,
                partition.id % 10_000 < deployment.settings.numPartitions
            else { continue }
            let canonical = Partition(broker: config.info, topic: partition.topic, id: partition.id)
            if seen.insert(canonical.key).inserted { known.append(canonical) }
        }
        return known
    }

    static func byKey(_ partitions: [Partition]) -> [String: Partition] {
        var out: [String: Partition] = [:]
        for partition in partitions where out[partition.key] == nil { out[partition.key] = partition }
        return out
    }

    func validate(_ request: ConsumerRegistration) throws(MasterError) {
        guard !request.clientID.isEmpty, !request.group.isEmpty else {
            throw .badRequest("clientId and groupName must not be blank!")
        }
        if let problem = NameRules.clientProblem(clientID: request.clientID, hostName: request.hostName) {
            throw .badRequest(problem)
        }
        guard !request.topics.isEmpty else {
            throw .badRequest("Consumer \(request.clientID) subscribes no topic!")
        }
        if let problem = NameRules.groupProblem(request.group) { throw .badRequest(problem) }
        for topic in request.topics.sorted() {
            if let problem = NameRules.topicProblem(topic) { throw .badRequest(problem) }
        }
        for (topic, items) in request.filters.sorted(by: { $0.key < $1.key }) {
            guard request.topics.contains(topic) else {
                throw .badRequest("Filter condition for topic \(topic), which \(request.clientID) does not subscribe!")
            }
            if let problem = NameRules.filterSizeProblem(items) { throw .badRequest("topic \(topic): \(problem)") }
        }
        for topic in request.topics.sorted() {
            let deployed = topicsByName[topic]?.deployments.contains { $0.status == .normal } ?? false
            guard deployed else {
                throw MasterError(code: .topicNotDeployed, message: "Topic \(topic) is not deployed!")
            }
            if let reason = groupSettingsByName[request.group]?.consumeDisabled[topic] {
                throw MasterError(
                    code: .consumeGroupForbidden,
                    message: "Group \(request.group) is forbidden to consume topic \(topic): \(reason)"
                )
            }
        }
        try checkConsumeFilters(request)
        if let bound = request.bound {
            guard !bound.sessionKey.isEmpty, bound.totalCount > 0 else {
                throw .badRequest("Bound consumption needs a sessionKey and a positive totalCount!")
            }
            if let problem = NameRules.lengthProblem("sessionKey", bound.sessionKey, max: NameRules.maxSessionKeyLength)
            {
                throw .badRequest(problem)
            }
            for key in bound.requiredOffsets.keys.sorted() {
                // brokerId:topic:partitionId
                let parts = key.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 3, request.topics.contains(String(parts[1])) else {
                    throw .badRequest(
                        "requiredPartition entry \"\(key.prefix(64))\" does not name a partition of a subscribed topic"
                    )
                }
            }
        }
    }

    /// Topics the group may consume only through filters (consume control): the consumer must filter
    /// each of them, by allowed items only (TubeMQ's texts, errCode 455).
    func checkConsumeFilters(_ request: ConsumerRegistration) throws(MasterError) {
        guard let restricted = groupSettingsByName[request.group]?.consumeFilters, !restricted.isEmpty else { return }
        for topic in request.topics.sorted() {
            guard let allowed = restricted[topic] else { continue }
            let prefix = "[Restricted Group] \(request.clientID) : "
            guard !allowed.isEmpty else {
                throw MasterError(
                    code: .consumeContentForbidden,
                    message: prefix + "\(request.group) not allowed to consume any data of topic \(topic)"
                )
            }
            let asked = request.filters[topic] ?? []
            guard !asked.isEmpty else {
                throw MasterError(
                    code: .consumeContentForbidden,
                    message: prefix + "\(request.group) must set the filter conditions of topic \(topic)"
                )
            }
            let refused = asked.subtracting(allowed).sorted()
            guard refused.isEmpty else {
                throw MasterError(
                    code: .consumeContentForbidden,
                    message: prefix + "unAuthorized filter conditions {\(topic)=[\(refused.joined(separator: ", "))]}"
                )
            }
        }
    }
}
