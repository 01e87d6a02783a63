import Logging
public import TubeMQMasterState

// MARK: - Client-balanced consumers (methods 20–22)

extension Master {
    /// Method 20: registers a client-balanced consumer.
    func registerClientBalanceConsumer(_ request: ClientBalanceRegistration) throws(MasterError) -> ClientBalanceReply {
        try checkRunning()
        let reply = try state.registerClientBalanceConsumer(request, now: clock.now())
        rearmTimer()
        logger.info(
            "client-balanced consumer registered",
            metadata: [
                "tubemq.client": "\(request.clientID)", "tubemq.group": "\(request.group)",
                "tubemq.topics": "\(request.topics.sorted())",
                "tubemq.node": "\(request.nodeID)/\(request.sourceCount)",
            ]
        )
        return reply
    }

    /// Method 21: a client-balanced consumer's heartbeat.
    func clientBalanceHeartbeat(
        clientID: String,
        group: String,
        report: ClientBalanceReport,
        consumeFromMaxID: Int64
    ) throws(MasterError) -> ClientBalanceReply {
        try checkRunning()
        return try state.clientBalanceHeartbeat(
            clientID: clientID,
            group: group,
            report: report,
            consumeFromMaxID: consumeFromMaxID,
            now: clock.now()
        )
    }

    /// Method 22: a client-balanced consumer asks where its group's topics live.
    func clientBalanceMeta(
        clientID: String,
        group: String,
        brokerListID: Int64,
        topicMetaID: Int64
    ) throws(MasterError) -> ClientBalanceReply {
        try checkRunning()
        return try state.clientBalanceMeta(
            clientID: clientID,
            group: group,
            brokerListID: brokerListID,
            topicMetaID: topicMetaID,
            now: clock.now()
        )
    }

    /// The online client-balanced groups (webapi).
    public func clientBalanceGroups() -> [ClientBalanceGroup] { state.clientBalanceGroups }

    /// Asks a client-balanced group to restart its partitions from the newest message (webapi).
    /// - Throws: ``MasterError`` 401 when the group is not online.
    public func setClientBalanceConsumeFromMax(group: String) throws(MasterError) {
        try checkRunning()
        try state.setClientBalanceConsumeFromMax(group: group, now: clock.now())
        logger.info("client-balanced group told to consume from max", metadata: ["tubemq.group": "\(group)"])
    }
}
