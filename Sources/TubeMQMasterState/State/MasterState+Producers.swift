extension MasterState {
    /// Registers a producer (method 1), or refreshes it if the client id is already known.
    ///
    /// Always succeeds; the reply always carries the serving brokers.
    public mutating func registerProducer(_ request: ProducerRegistration, now: Int64) -> ProducerRegisterReply {
        let registeredAt = producersByID[request.clientID]?.registeredAt ?? now
        producersByID[request.clientID] = ProducerRecord(
            clientID: request.clientID,
            hostName: request.hostName,
            topics: Set(request.topics),
            registeredAt: registeredAt,
            lastHeartbeatAt: now
        )
        return ProducerRegisterReply(
            brokerChecksum: brokerChecksum,
            brokers: servingBrokers,
            maxMsgSize: clusterSettings.maxMsgSize
        )
    }

    /// Records a producer heartbeat (method 2) and answers with the partition map of its topics, plus
    /// the serving brokers when its checksum is stale.
    /// - Throws: ``MasterError/unknownProducer(_:)`` (411) when the producer is not registered; the
    ///   reply then carries `brokerCheckSum = -1`.
    public mutating func producerHeartbeat(
        _ request: ProducerHeartbeat,
        now: Int64
    ) throws(MasterError) -> ProducerHeartbeatReply {
        guard var session = producersByID[request.clientID] else {
            throw .unknownProducer(request.clientID)
        }
        session.lastHeartbeatAt = now
        session.topics = Set(request.topics)
        if !request.hostName.isEmpty { session.hostName = request.hostName }
        producersByID[request.clientID] = session
        return ProducerHeartbeatReply(
            brokerChecksum: brokerChecksum,
            brokers: request.brokerChecksum == brokerChecksum ? nil : servingBrokers,
            topics: session.topics.sorted().compactMap { publishInfo(topic: $0) },
            maxMsgSize: clusterSettings.maxMsgSize
        )
    }

    /// Forgets a producer (method 3).
    /// - Returns: whether the producer was known. Closing an unknown producer is not an error.
    @discardableResult
    public mutating func closeProducer(clientID: String, now: Int64) -> Bool {
        producersByID.removeValue(forKey: clientID) != nil
    }
}
