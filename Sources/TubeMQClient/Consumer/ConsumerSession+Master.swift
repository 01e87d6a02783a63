import Logging
import TubeMQCore
import TubeMQWire

/// Membership at the master: register (method 4), heartbeat (5) with rebalance events, close (6).
///
/// As the real clients do: an event from a heartbeat reply is applied (register or unregister the
/// partitions at their brokers), then acknowledged with status DONE in the next heartbeat, which also
/// reports every held partition (`reportSubscribeInfo = true`). That next heartbeat is sent as soon
/// as the event is applied. A 411 (the master does not know the consumer, e.g. after a failover)
/// leads to a new registration that names the partitions held.
extension ConsumerSession {
    /// Registers with the master, waiting up to `wait` for an active one while the masters answer
    /// that they are standby.
    ///
    /// - Throws: ``ClientError`` `rejected` or `masterUnavailable`.
    func registerWithMaster(awaitingActive wait: Duration? = nil) async throws(ClientError) {
        if case .client(let choice) = configuration.assignment {
            try await registerClientBalance(choice, awaitingActive: wait)
            return
        }
        var request = RegisterRequestC2M()
        request.clientID = clientID
        request.groupName = configuration.group
        request.hostName = host
        request.topicList = configuration.topics.keys.sorted()
        request.subscribeInfo = heldSubscribeInfo
        request.topicCondition = configuration.topics.sorted { $0.key < $1.key }.compactMap { topic, types in
            types.isEmpty ? nil : MetadataStrings.topicCondition(topic: topic, filters: types.sorted())
        }
        request.sessionTime = sessionTime
        if let bound = configuration.boundConsume {
            request.requireBound = true
            request.sessionKey = bound.sessionKey
            request.totalCount = Int32(clamping: bound.consumerCount)
            request.requiredPartition = bound.requiredPartitionText
            request.notAllocated = !groupAllocated
            request.selectBig = bound.selectBig
        } else {
            request.requireBound = false
        }
        (request.defFlowCheckID, request.groupFlowCheckID) = flow.versions
        request.qryPriorityID = -2
        if let certificate = authenticator.certificate(registering: true) { request.authInfo = certificate }
        let reply: RegisterResponseM2C = try await master.call(.consumerRegister, request, awaitingActive: wait)
        guard reply.success else {
            throw .rejected("the master refused the consumer", code: reply.errCode, text: reply.errMsg)
        }
        flow.update(
            defaultsVersion: reply.hasDefFlowCheckID ? reply.defFlowCheckID : -2,
            defaultsText: reply.defFlowControlInfo,
            groupVersion: reply.hasGroupFlowCheckID ? reply.groupFlowCheckID : -2,
            groupText: reply.groupFlowControlInfo
        )
        registeredWithMaster = true
        quickHeartbeatsUntil = .now + Self.quickHeartbeatWindow
        registeredAt = .now
        warnedIdle = false
        pendingAck = nil
        if reply.hasNotAllocated && !reply.notAllocated { groupAllocated = true }
        if reply.hasAuthorizedInfo { visitToken = reply.authorizedInfo.visitAuthorizedToken }
        authenticator.accept(reply.hasAuthorizedInfo ? reply.authorizedInfo : nil, requireAuth: false)
        logger.debug(
            "consumer registered",
            metadata: ["tubemq.master": "\(master.activeMaster.map { "\($0)" } ?? "-")"]
        )
    }

    /// `consumerId@group#brokerId:host:port#topic:partitionId` for every held partition.
    var heldSubscribeInfo: [String] {
        heldPartitions.map {
            MetadataStrings.subscribeInfo(Subscription(consumerID: clientID, group: configuration.group, partition: $0))
        }
    }

    /// Starts the master and broker heartbeat loops.
    func startLoops() {
        let period = configuration.heartbeatPeriod
        let wakeup = heartbeatNow
        masterLoop = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                await self.heartbeatMaster()
                await wakeup.wait(upTo: await self.nextMasterHeartbeat(period: period))
            }
        }
        brokerLoop = Task { [weak self] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: period) } catch { return }
                guard await self?.heartbeatBrokers() != nil else { return }
            }
        }
    }

    /// How often the master is asked while a new member waits for its first partitions.
    static let quickHeartbeat: Duration = .milliseconds(500)
    /// How long after a registration the quick heartbeats may go on.
    static let quickHeartbeatWindow: Duration = .seconds(30)

    /// How long after applying an event the master is asked every ``quickHeartbeat``.
    ///
    /// The master holds a consumer's next event until the last one is acknowledged, and plans it in its
    /// next balance round (every second in `tubemq standalone`): after a member crashed, the partitions
    /// it held came to the others one event at a time, a heartbeat period (13 s) apart.
    static let followUpWindow: Duration = .seconds(3)

    /// The wait before the next master heartbeat: the configured period, or ``quickHeartbeat`` while
    /// the consumer holds no partition in the first ``quickHeartbeatWindow`` after registering (the
    /// master assigns partitions at its next balance round and tells the member in a heartbeat reply),
    /// and for ``followUpWindow`` after an event.
    func nextMasterHeartbeat(period: Duration) -> Duration {
        let now = ContinuousClock.now
        guard (held.isEmpty && now < quickHeartbeatsUntil) || now < followUpHeartbeatsUntil else { return period }
        return min(period, Self.quickHeartbeat)
    }

    /// One master heartbeat (registering first when needed); failures are logged and retried next time.
    func heartbeatMaster() async {
        guard lifecycle == .running, failure == nil else { return }
        if !registeredWithMaster {
            do {
                try await registerWithMaster()
            } catch {
                if error.code == .rejected { fail(error) } else { logRetry("registration", error) }
                return
            }
        }
        if case .client(let choice) = configuration.assignment {
            await heartbeatClientBalance(choice)
            return
        }
        let ack = pendingAck
        var request = HeartRequestC2M()
        request.clientID = clientID
        request.groupName = configuration.group
        if let ack {
            request.event = ack
            request.reportSubscribeInfo = true
            request.subscribeInfo = heldSubscribeInfo
        } else {
            request.reportSubscribeInfo = false
        }
        (request.defFlowCheckID, request.groupFlowCheckID) = flow.versions
        request.qryPriorityID = -2
        if let certificate = authenticator.certificate(registering: false) { request.authInfo = certificate }
        let reply: HeartResponseM2C
        do {
            reply = try await master.call(.consumerHeartbeat, request)
        } catch {
            logRetry("heartbeat", error)
            return
        }
        guard reply.success else {
            if reply.errCode == ErrorCode.heartbeatNoNode.rawValue {
                logger.info(
                    "the master does not know the consumer; registering again",
                    metadata: ["tubemq.errMsg": "\(reply.errMsg)"]
                )
                registeredWithMaster = false
                pendingAck = nil
                heartbeatNow.signal()
            } else {
                logger.warning(
                    "master refused the heartbeat",
                    metadata: ["tubemq.errCode": "\(reply.errCode)", "tubemq.errMsg": "\(reply.errMsg)"]
                )
                if reply.errCode == ErrorCode.certificateFailure.rawValue {
                    certificateRefusals += 1
                    if certificateRefusals >= 2 {
                        // Refused again with a fresh signature: the user was removed or its password
                        // changed. Stop, and free the partitions at the brokers, which do not know
                        // users and would go on serving this consumer ahead of the group's others.
                        fail(
                            .rejected(
                                "the master no longer accepts the consumer's credentials",
                                code: reply.errCode,
                                text: reply.errMsg
                            )
                        )
                        Task { await self.shutdown() }
                        return
                    }
                    // The issued token may just be unknown to this master (a restart): sign again at once.
                    authenticator.accept(nil, requireAuth: true)
                    heartbeatNow.signal()
                }
            }
            return
        }
        certificateRefusals = 0
        if let ack, let pending = pendingAck, pending.rebalanceID == ack.rebalanceID, pending.opType == ack.opType {
            pendingAck = nil
        }
        if reply.hasNotAllocated && !reply.notAllocated { groupAllocated = true }
        flow.update(
            defaultsVersion: reply.hasDefFlowCheckID ? reply.defFlowCheckID : -2,
            defaultsText: reply.defFlowControlInfo,
            groupVersion: reply.hasGroupFlowCheckID ? reply.groupFlowCheckID : -2,
            groupText: reply.groupFlowControlInfo
        )
        if reply.hasAuthorizedInfo { visitToken = reply.authorizedInfo.visitAuthorizedToken }
        authenticator.accept(reply.hasAuthorizedInfo ? reply.authorizedInfo : nil, requireAuth: reply.requireAuth)
        if reply.hasEvent, lifecycle == .running {
            // The master never repeats an event: one that arrives while another is being applied (possible
            // only after a new registration made the master forget the first) waits its turn.
            queuedEvents.append(reply.event)
            applyNextEvent()
        }
        warnIfIdle()
    }

    /// How long after registering a consumer holding no partition says so.
    static let idleWarningAfter: Duration = .seconds(10)

    /// Says once per registration that the consumer still holds no partition ``idleWarningAfter``
    /// after joining: it waited silently when no broker served its topic.
    private func warnIfIdle() {
        guard !warnedIdle else { return }
        // Once it held a partition, nothing to say for this registration (a member a rebalance left
        // without partitions is not "waiting to start").
        guard held.isEmpty else {
            warnedIdle = true
            return
        }
        guard eventTask == nil, queuedEvents.isEmpty, ContinuousClock.now - registeredAt >= Self.idleWarningAfter
        else { return }
        warnedIdle = true
        logger.warning(
            """
            no partition assigned \(Self.idleWarningAfter.components.seconds) s after joining the group: no broker \
            may be serving the topics, the group's other members may hold every partition, or the master has not \
            balanced the group yet; still waiting
            """,
            metadata: [
                "tubemq.group": "\(configuration.group)",
                "tubemq.topics": "\(configuration.topics.keys.sorted().joined(separator: ","))",
            ]
        )
    }

    private func applyNextEvent() {
        guard eventTask == nil, lifecycle == .running, !queuedEvents.isEmpty else { return }
        let event = queuedEvents.removeFirst()
        eventTask = Task { await self.apply(event) }
    }

    /// Applies a rebalance event, then queues its acknowledgement for the next heartbeat (sent at once).
    private func apply(_ event: EventProto) async {
        let partitions = event.subscribeInfo.compactMap { MetadataStrings.parseSubscribeInfo($0)?.partition }
        logger.debug(
            "rebalance event",
            metadata: [
                "tubemq.event": "\(event.rebalanceID)", "tubemq.type": "\(event.opType)",
                "tubemq.partitions": "\(partitions.count)",
            ]
        )
        switch event.opType {
        case EventType.connect, EventType.onlyConnect:
            await connect(partitions)
        case EventType.disconnect, EventType.onlyDisconnect:
            await disconnect(partitions, grace: configuration.confirmTimeout)
        default:
            break  // REPORT, REFRESH, STOPREBALANCE: the acknowledgement reports what is held.
        }
        var ack = EventProto()
        ack.rebalanceID = event.rebalanceID
        ack.opType = event.opType
        ack.status = EventType.statusDone
        ack.subscribeInfo = event.subscribeInfo
        eventTask = nil
        guard lifecycle == .running else { return }
        followUpHeartbeatsUntil = .now + Self.followUpWindow
        pendingAck = ack
        heartbeatNow.signal()
        applyNextEvent()
    }

    /// Tells the master the consumer leaves (method 6).
    func closeAtMaster() async {
        var request = CloseRequestC2M()
        request.clientID = clientID
        request.groupName = configuration.group
        if let certificate = authenticator.certificate(registering: false) { request.authInfo = certificate }
        do {
            let reply: CloseResponseM2C = try await master.call(.consumerClose, request)
            if !reply.success {
                logger.info(
                    "master refused the close",
                    metadata: ["tubemq.errCode": "\(reply.errCode)", "tubemq.errMsg": "\(reply.errMsg)"]
                )
            }
        } catch {
            logger.info("close did not reach the master", metadata: ["tubemq.error": "\(error)"])
        }
        registeredWithMaster = false
    }

    private func logRetry(_ what: String, _ error: ClientError) {
        logger.warning("master \(what) failed; retrying", metadata: ["tubemq.error": "\(error)"])
    }
}

/// Rebalance event types and statuses (`corebase/balance/EventType`, `EventStatus`).
enum EventType {
    static let connect: Int32 = 1
    static let disconnect: Int32 = 2
    static let onlyConnect: Int32 = 10
    static let onlyDisconnect: Int32 = 20
    static let statusDone: Int32 = 2
}
