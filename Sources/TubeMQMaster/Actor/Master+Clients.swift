import Logging
import TubeMQMasterState

/// The approved client settings the master hands out (`appdConfig`, `clsConfig`).
struct ApprovedConfig: Sendable, Hashable {
    /// The settings version; -2 while the cluster defaults were never changed by an admin, as the
    /// recorded master sent.
    var configID: Int64
    /// The cluster's default maximum message size in bytes.
    var maxMsgSize: Int32
}

/// What broker replies carry besides the broker's own configuration.
struct BrokerReplyContext: Sendable, Hashable {
    /// The approved cluster settings (`clsConfig`).
    var approved: ApprovedConfig
    /// The cluster's default consume read priority (`qryPriorityId`).
    var qryPriorityID: Int32
    /// The enabled default flow-control rules, which brokers enforce on get-message.
    var flowControl: FlowControlSetting?
}

// MARK: - Producers and consumers (methods 1–6)

// Registrations add an expiry deadline that may come before the armed one, so they re-arm the
// timer. Heartbeats only move a client's deadline later and closes remove it; the timer is always
// armed while the master runs, and an early wake finds nothing due and arms again, so they skip
// the O(clients) deadline computation.

extension Master {
    var approvedConfig: ApprovedConfig {
        ApprovedConfig(
            configID: state.clusterSettings.stamp?.modifiedAt ?? -2,
            maxMsgSize: state.clusterSettings.maxMsgSize
        )
    }

    /// Method 1: registers a producer.
    func registerProducer(
        _ request: ProducerRegistration
    ) throws(MasterError) -> (
        ProducerRegisterReply, ApprovedConfig
    ) {
        try checkRunning()
        let reply = state.registerProducer(request, now: clock.now())
        rearmTimer()
        logger.info("producer registered", metadata: ["tubemq.client": "\(request.clientID)"])
        return (reply, approvedConfig)
    }

    /// Method 2: a producer heartbeat.
    func producerHeartbeat(_ request: ProducerHeartbeat) throws(MasterError) -> (ProducerHeartbeatReply, ApprovedConfig)
    {
        try checkRunning()
        let reply = try state.producerHeartbeat(request, now: clock.now())
        return (reply, approvedConfig)
    }

    /// Method 3: a producer leaves.
    func closeProducer(clientID: String) throws(MasterError) {
        try checkRunning()
        let known = state.closeProducer(clientID: clientID, now: clock.now())
        logger.info("producer closed", metadata: ["tubemq.client": "\(clientID)", "tubemq.known": "\(known)"])
    }

    /// Method 4: registers a consumer in its group.
    func registerConsumer(_ request: ConsumerRegistration) throws(MasterError) -> ConsumerRegisterReply {
        try checkRunning()
        let reply = try state.registerConsumer(request, now: clock.now())
        rearmTimer()
        logger.info(
            "consumer registered",
            metadata: [
                "tubemq.client": "\(request.clientID)", "tubemq.group": "\(request.group)",
                "tubemq.topics": "\(request.topics.sorted())",
            ]
        )
        return reply
    }

    /// Method 5: a consumer heartbeat, maybe acknowledging an event and maybe receiving one.
    func consumerHeartbeat(_ request: ConsumerHeartbeat) throws(MasterError) -> ConsumerHeartbeatReply {
        try checkRunning()
        let reply = try state.consumerHeartbeat(request, now: clock.now())
        if let event = reply.event {
            logger.info(
                "rebalance event delivered",
                metadata: [
                    "tubemq.client": "\(request.clientID)", "tubemq.group": "\(request.group)",
                    "tubemq.event": "\(event)",
                ]
            )
        }
        return reply
    }

    /// Method 6: a consumer leaves its group.
    func closeConsumer(clientID: String, group: String) throws(MasterError) {
        try checkRunning()
        let known = state.closeConsumer(clientID: clientID, group: group, now: clock.now())
        rearmTimer()  // the group's others take the partitions in a round now, not a period later
        logger.info(
            "consumer closed",
            metadata: ["tubemq.client": "\(clientID)", "tubemq.group": "\(group)", "tubemq.known": "\(known)"]
        )
    }
}

// MARK: - Brokers (methods 7–9)

extension Master {
    var brokerReplyContext: BrokerReplyContext {
        BrokerReplyContext(
            approved: approvedConfig,
            qryPriorityID: state.clusterSettings.qryPriorityID,
            flowControl: brokerFlowControl()
        )
    }

    /// Method 7: a broker process registers.
    func registerBroker(
        _ request: BrokerRegistration
    ) async throws(MasterError) -> (
        BrokerConfigReply, BrokerReplyContext
    ) {
        try checkRunning()
        let reply = try state.registerBroker(request, now: clock.now())
        let context = brokerReplyContext
        rearmTimer()
        logger.info(
            "broker registered",
            metadata: ["tubemq.broker": "\(request.id)", "tubemq.address": "\(request.host):\(request.port)"]
        )
        await performLoggingFailures(reply.directives)
        return (reply, context)
    }

    /// Method 8: a broker heartbeat.
    func brokerHeartbeat(
        _ request: BrokerHeartbeat
    ) async throws(MasterError) -> (
        BrokerConfigReply, BrokerReplyContext
    ) {
        try checkRunning()
        let reply = try state.brokerHeartbeat(request, now: clock.now())
        let context = brokerReplyContext
        await performLoggingFailures(reply.directives)
        return (reply, context)
    }

    /// Method 9: a broker says goodbye.
    func closeBroker(id: Int32) async throws(MasterError) {
        try checkRunning()
        let directives = state.closeBroker(id: id, now: clock.now())
        logger.info("broker closed", metadata: ["tubemq.broker": "\(id)"])
        await performLoggingFailures(directives)
    }
}
