import NIOCore
import SwiftProtobuf
public import TubeMQCore
import TubeMQRPC
import TubeMQWire

extension Producer {
    /// Sends `message` to `topic` and returns where it was stored.
    ///
    /// The message goes to the next writable partition of the topic (round-robin). When its broker
    /// answers 503 or cannot be reached, the message is tried on another partition, up to
    /// ``Configuration/maxSendAttempts`` times; when the connection was lost with the send in flight,
    /// the first broker may have stored it too, and a failure is marked ``ClientError/outcomeUnknown``.
    /// When it does not answer within the RPC timeout, the
    /// send fails (the broker may have stored it) and later sends avoid that broker for
    /// ``Configuration/brokerBackoff``. Attributes travel as the official clients send them:
    /// `$msgType$`, `$msgTime$`, then the others, as `k=v,k=v` behind a length, with flag bit 0 set
    /// (the type and time are also sent in `msgType`/`msgTime`); the broker computes the checksum.
    ///
    /// Many sends may be in flight at once; they share one connection per broker.
    /// - Throws: ``ClientError``: `invalidArgument` (topic not published, empty body, bad attribute),
    ///   `noPartition`, `messageTooLarge`, `rejected` (with the broker's errCode), `brokerUnavailable`,
    ///   `timeout`, `cancelled`, `shutdown`.
    @discardableResult
    public func send(_ message: TubeMQCore.Message, to topic: String) async throws(ClientError) -> SendResult {
        // A task already cancelled sends nothing (it went out and was stored before).
        if Task.isCancelled { throw ClientError(.cancelled, "the sending task was cancelled; nothing was sent") }
        try enterSend()
        defer { leaveSend() }
        let payload = try OutgoingPayload(message)
        // Set once an attempt may have reached a broker (its connection was lost with the send in
        // flight): whatever fails after that, the message may have been stored.
        var maybeStored = false
        do throws(ClientError) {
            return try await send(payload, to: topic, maybeStored: &maybeStored)
        } catch {
            var failure = error
            if maybeStored { failure.outcomeUnknown = true }
            throw failure
        }
    }

    /// The attempts of one send (see ``send(_:to:)``).
    nonisolated(nonsending) private func send(
        _ payload: OutgoingPayload,
        to topic: String,
        maybeStored: inout Bool
    ) async throws(ClientError) -> SendResult {
        var excluded: Set<Int32> = []  // empty (no allocation) unless a broker fails
        var lastError = ClientError(.noPartition, "no partition of \(topic) accepted the message")
        for _ in 0..<max(1, configuration.maxSendAttempts) {
            let route: ProducerRouting.Route
            switch routing.route(topic: topic, excluding: excluded) {
            case .route(let found): route = found
            case .notPublished:
                throw ClientError(.invalidArgument, "topic \(topic) is not published; call publish first")
            case .refused(let error): throw error
            case .noPartition: route = try await waitForRoute(topic, excluding: excluded)
            }
            let partition = route.partition
            // The broker's bound: the topic's maximum size plus room for the attribute header.
            let allowed = route.maxMessageSize + TubeMQCore.Message.headerAllowance
            guard payload.data.count <= allowed else {
                throw ClientError(
                    .messageTooLarge,
                    "message of \(payload.data.count) bytes exceeds \(allowed) bytes allowed on \(topic)"
                )
            }
            let reply: SendMessageReply
            do throws(RPCError) {
                reply = try await call(request(payload, route: route), partition: partition)
            } catch {
                let failure = ClientError.broker("send to \(partition) failed", error)
                if error.code == .timeout {
                    // The broker may have stored it: fail this send rather than risk a duplicate, as the
                    // Java producer does, but route the next sends elsewhere while the broker is stalled.
                    avoid(partition, reason: "\(error)")
                    throw failure
                }
                guard error.code == .connectionFailed else { throw failure }
                // Lost with the send in flight: the broker may have stored it, and the next attempt
                // may store it again (at least once, as the Java producer).
                if error.requestSent { maybeStored = true }
                avoid(partition, reason: "\(error)")
                excluded.insert(partition.broker.id)
                lastError = failure
                continue
            }
            if reply.success {
                return SendResult(
                    messageID: reply.messageID ?? Int64(reply.errMsg) ?? -1,
                    partition: partition,
                    offset: reply.appendOffset ?? -1,
                    appendTime: reply.appendTime ?? -1
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

    /// The serialized `SendMessageRequestP2B` for `payload` on the route's partition.
    private func request(_ payload: OutgoingPayload, route: ProducerRouting.Route) -> ByteBuffer {
        SendMessageRequestWriter(
            clientID: clientID,
            topicName: route.partition.topic,
            partitionID: route.partition.id,
            data: payload.data,
            flag: payload.flag,
            checkSum: -1,
            sentAddress: sentAddress,
            messageType: payload.messageType,
            messageTime: payload.messageTime,
            authorization: route.visitToken.map {
                SendMessageRequestWriter.Authorization(visitToken: $0, authToken: route.authToken)
            }
        ).encoded
    }

    /// Sends one request (method 13) and decodes the reply: in one pass when it is ordinary, with
    /// SwiftProtobuf otherwise.
    nonisolated(nonsending) private func call(
        _ request: ByteBuffer,
        partition: Partition
    ) async throws(RPCError)
        -> SendMessageReply
    {
        let data = try await rpc.call(
            .sendMessage,
            encodedRequest: request,
            host: partition.broker.host,
            port: partition.broker.port,
            timeout: configuration.rpcTimeout.timeAmount
        )
        if let reply = SendMessageReply.wellFormed(data) { return reply }
        do {
            return SendMessageReply(try SendMessageResponseB2P(serializedBytes: data.readableBytesSpan))
        } catch {
            throw RPCError(
                .badResponse,
                "undecodable \(RPCMethod.sendMessage) reply from \(partition.broker.host):\(partition.broker.port)",
                underlying: error
            )
        }
    }

    /// The next route of `topic` once it has partitions, waiting up to
    /// ``Configuration/partitionWaitTimeout`` (on the configured clock) for a partition map: a topic
    /// published moments ago may not have one yet. Only sends that found no partition come here; they
    /// ask for a heartbeat at once (and every half second while they wait) and wake on every update
    /// of the partition map.
    private func waitForRoute(
        _ topic: String,
        excluding: Set<Int32>
    ) async throws(ClientError)
        -> ProducerRouting.Route
    {
        let clock = configuration.clock
        let deadline = clock.now() + configuration.partitionWaitTimeout.milliseconds
        var nextHeartbeat = Int64.min
        while true {
            // A heartbeat now, and again every half second while the wait lasts: the broker holding the
            // topic may register with the master only after this producer (a cluster still starting).
            if clock.now() >= nextHeartbeat {
                nextHeartbeat = clock.now() + 500
                session.requestHeartbeat()
            }
            try checkOpen()
            guard !Task.isCancelled else { throw ClientError(.cancelled, "send to \(topic) cancelled") }
            let generation = routing.generation
            switch routing.route(topic: topic, excluding: excluding) {
            case .route(let route): return route
            case .notPublished:
                throw ClientError(.invalidArgument, "topic \(topic) is not published; call publish first")
            case .refused(let error): throw error
            case .noPartition: break
            }
            guard clock.now() < deadline else {
                throw ClientError(.noPartition, "the master reports no partition of topic \(topic)")
            }
            await routing.waitForChange(since: generation, until: min(deadline, nextHeartbeat), on: clock)
        }
    }

    /// Routes the next sends away from the partition's broker; logged once per outage, not per attempt
    /// (a 41 s outage at 100 sends a second wrote 9,003 lines).
    private func avoid(_ partition: Partition, reason: String) {
        let first = routing.avoid(brokerID: partition.broker.id, for: configuration.brokerBackoff)
        logger.log(
            level: first ? .info : .debug,
            "avoiding broker",
            metadata: ["tubemq.broker": "\(partition.broker)", "tubemq.reason": "\(reason)"]
        )
    }
}
