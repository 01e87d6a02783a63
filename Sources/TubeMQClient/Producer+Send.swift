import Foundation
public import TubeMQCore
import TubeMQRPC
import TubeMQWire

extension Producer {
    /// Sends `message` to `topic` and returns where it was stored.
    ///
    /// The message goes to the next writable partition of the topic (round-robin). When its broker
    /// answers 503 or cannot be reached, the message is tried on another partition, up to
    /// ``Configuration/maxSendAttempts`` times. Attributes travel as the official clients send them:
    /// `$msgType$`, `$msgTime$`, then the others, as `k=v,k=v` behind a length, with flag bit 0 set
    /// (the type and time are also sent in `msgType`/`msgTime`); the broker computes the checksum.
    ///
    /// Many sends may be in flight at once; they share one connection per broker.
    /// - Throws: ``ClientError``: `invalidArgument` (topic not published, empty body, bad attribute),
    ///   `noPartition`, `messageTooLarge`, `rejected` (with the broker's errCode), `brokerUnavailable`,
    ///   `timeout`, `cancelled`, `shutdown`.
    @discardableResult
    public func send(_ message: Message, to topic: String) async throws(ClientError) -> SendResult {
        try enterSend()
        defer { leaveSend() }
        guard routing.published.contains(topic) else {
            throw ClientError(.invalidArgument, "topic \(topic) is not published; call publish first")
        }
        let payload = try OutgoingPayload(message)
        var excluded: Set<Int32> = []
        var lastError = ClientError(.noPartition, "no partition of \(topic) accepted the message")
        for _ in 0..<max(1, configuration.maxSendAttempts) {
            let (partition, maxSize) = try await route(topic, excluding: excluded)
            guard payload.data.count <= maxSize else {
                throw ClientError(
                    .messageTooLarge,
                    "message of \(payload.data.count) bytes exceeds \(maxSize) bytes allowed on \(topic)"
                )
            }
            let request = makeRequest(payload, partition: partition)
            let reply: SendMessageResponseB2P
            do {
                reply = try await rpc.call(
                    .sendMessage,
                    request,
                    host: partition.broker.host,
                    port: partition.broker.port,
                    timeout: configuration.rpcTimeout.timeAmount
                )
            } catch {
                let failure = ClientError.broker("send to \(partition) failed", error)
                guard error.code == .connectionFailed else { throw failure }
                avoid(partition, reason: "\(error)")
                excluded.insert(partition.broker.id)
                lastError = failure
                continue
            }
            if reply.success {
                let id = reply.hasMessageID ? reply.messageID : Int64(reply.errMsg) ?? -1
                return SendResult(
                    messageID: id,
                    partition: partition,
                    offset: reply.hasAppendOffset ? reply.appendOffset : -1,
                    appendTime: reply.hasAppendTime ? reply.appendTime : -1
                )
            }
            let failure = ClientError.rejected(
                "broker refused the message for \(partition)",
                code: reply.errCode,
                text: reply.errMsg
            )
            guard reply.errCode == ErrorCode.serviceUnavailable.rawValue else { throw failure }
            avoid(partition, reason: reply.errMsg)
            excluded.insert(partition.broker.id)
            lastError = failure
        }
        throw lastError
    }

    private func makeRequest(_ payload: OutgoingPayload, partition: Partition) -> SendMessageRequestP2B {
        var request = SendMessageRequestP2B()
        request.clientID = clientID
        request.topicName = partition.topic
        request.partitionID = partition.id
        request.data = Data(payload.data)
        request.flag = payload.flag
        request.checkSum = -1
        request.sentAddr = sentAddress
        if let type = payload.messageType { request.msgType = type }
        if let time = payload.messageTime { request.msgTime = time }
        if let token = routing.visitToken {
            var auth = AuthorizedInfo()
            auth.visitAuthorizedToken = token
            request.authInfo = auth
        }
        return request
    }

    /// The next partition of `topic`, waiting up to ``Configuration/partitionWaitTimeout`` for a
    /// partition map (a topic published moments ago may not have one yet).
    private func route(_ topic: String, excluding: Set<Int32>) async throws(ClientError) -> (Partition, Int) {
        let deadline = ContinuousClock.now + configuration.partitionWaitTimeout
        var asked = false
        while true {
            if let route = routing.pick(topic: topic, excluding: excluding) { return route }
            try checkOpen()
            guard !Task.isCancelled else { throw ClientError(.cancelled, "send to \(topic) cancelled") }
            guard ContinuousClock.now < deadline else {
                throw ClientError(.noPartition, "the master reports no partition of topic \(topic)")
            }
            if !asked {
                asked = true
                Task { [session] in try? await session.heartbeat() }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func avoid(_ partition: Partition, reason: String) {
        routing.avoid(brokerID: partition.broker.id, for: configuration.brokerBackoff)
        logger.info(
            "avoiding broker",
            metadata: ["tubemq.broker": "\(partition.broker)", "tubemq.reason": "\(reason)"]
        )
    }
}
