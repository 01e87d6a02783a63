import SwiftProtobuf
import TubeMQCore
import TubeMQStorage
import TubeMQWire

extension BrokerService {
    /// Method 17: the next batch for a consumer's partition, from its confirmed offset.
    ///
    /// At least once: the batch becomes the tentative offset, and only `lastPackConsumed` on the next
    /// get, a commit, or an unregister with readStatus 0 confirms it; until then a get returns it again.
    /// A success is encoded by hand (``GetMessageReplyWriter``), byte for byte what SwiftProtobuf writes.
    ///
    /// A get that carries our client's `maxWaitMs` extension and finds no data is held until a send
    /// appends to the partition or the wait (capped at ``maximumFetchWait``) runs out, then read again:
    /// a long poll, so a consumer that is caught up hears of a message as soon as it is stored.
    func getMessages(_ request: GetMessageRequestC2B) async -> any SwiftProtobuf.Message {
        guard request.maxWaitMs > 0 else { return await getOnce(request, confirming: request.lastPackConsumed).reply }
        let wait = Duration.milliseconds(min(Int64(request.maxWaitMs), Self.maximumFetchWait))
        let deadline = ContinuousClock.now + wait
        let key = PartitionWakeups.Key(topic: request.topicName, partitionID: request.partitionID)
        var confirming = request.lastPackConsumed
        while true {
            let ticket = wakeups.ticket(key)
            let outcome = await getOnce(request, confirming: confirming)
            confirming = false  // confirmed by the first read; later reads must not confirm again
            guard outcome.isEmpty, ContinuousClock.now < deadline else {
                wakeups.release(ticket)
                return outcome.reply
            }
            await wakeups.wait(ticket, until: deadline)
        }
    }

    /// The longest a get may be held waiting for data, in ms, whatever its `maxWaitMs` asks.
    static let maximumFetchWait: Int64 = 1000

    /// One read for a get: the reply, and whether it is a 404 (nothing to hand out yet).
    private func getOnce(_ request: GetMessageRequestC2B, confirming: Bool) async -> GetOutcome {
        guard let topic = await catalog.topicAfterStart(request.topicName) else {
            return .reply(GetMessageResponseB2C.failure(.forbidden, ReplyText.topicNotExisted(request.topicName)))
        }
        guard topic.hasPartition(request.partitionID) else {
            return .reply(
                GetMessageResponseB2C.failure(
                    .forbidden,
                    ReplyText.partitionNotExisted(topic: request.topicName, partitionID: request.partitionID)
                )
            )
        }
        let key = key(group: request.groupName, topic: request.topicName, partition: request.partitionID)
        let (access, registeredFilters) = registry.touch(key, consumerID: request.clientID)
        let filters = faults.ignoreFilters ? [] : registeredFilters
        switch access {
        case .held:
            break
        case .heldBy(let owner):
            return .reply(
                GetMessageResponseB2C.failure(
                    .duplicatePartition,
                    ReplyText.duplicatedRequest(
                        group: key.group,
                        topic: key.topic,
                        partitionID: key.partitionID,
                        brokerID: brokerID,
                        owner: owner,
                        consumer: request.clientID
                    )
                )
            )
        case .unknownConsumer, .notRegistered:
            return .reply(
                GetMessageResponseB2C.failure(.heartbeatNoNode, ReplyText.unregisteredConsumer(request.clientID))
            )
        }
        guard topic.acceptSubscribe, !catalog.serviceFlags.stopRead else {
            return .reply(
                GetMessageResponseB2C.failure(.serviceUnavailable, ReplyText.readServiceStopped, minLimitTime: 1000)
            )
        }
        do {
            let offsets = store.offsets
            var start =
                await offsets.committedOffset(
                    group: key.group,
                    topic: key.topic,
                    partitionID: key.partitionID,
                    confirmingTentative: confirming
                ) ?? 0
            var result: ReadResult
            do {
                result = try await read(key: key, from: start, filters: filters, maxCount: request.maxCount)
            } catch let error where error.code == .offsetBelowMinimum || error.code == .offsetAboveMaximum {
                // Aged out below the consumer, or beyond the end after a reset: move into the stored range.
                let range: OffsetRange
                if let known = error.offsets {
                    range = known
                } else {
                    range = try await store.offsetRange(topic: key.topic, partitionID: key.partitionID)
                }
                let moved = start
                start = error.code == .offsetBelowMinimum ? range.min : range.max
                // Messages a group never read are gone (aged out): say so, it was silent.
                logger.log(
                    level: error.code == .offsetBelowMinimum ? .warning : .info,
                    error.code == .offsetBelowMinimum
                        ? "a group's offset was aged out: it skips the deleted messages"
                        : "a group's offset is past the end: it moves to the end",
                    metadata: [
                        "tubemq.group": "\(key.group)", "tubemq.topic": "\(key.topic)",
                        "tubemq.partition": "\(key.partitionID)", "tubemq.from": "\(moved)", "tubemq.to": "\(start)",
                    ]
                )
                try await offsets.commit(
                    group: key.group,
                    topic: key.topic,
                    partitionID: key.partitionID,
                    offset: start
                )
                result = try await read(key: key, from: start, filters: filters, maxCount: request.maxCount)
            }
            guard !result.messages.isEmpty || result.nextOffset > start else {
                return .empty(GetMessageResponseB2C.failure(.notFound, ReplyText.reachedMaxOffset, minLimitTime: -1))
            }
            if result.messages.isEmpty && request.maxWaitMs > 0 {
                // Only other partitions' (or filtered-out) records: nothing to hand out or lose, so a long
                // poll steps over them itself and waits on, rather than answering an empty success. The
                // step is confirmed as a consumed batch is (written in the background, no sync to wait for).
                await offsets.setTentativeOffset(
                    group: key.group,
                    topic: key.topic,
                    partitionID: key.partitionID,
                    offset: result.nextOffset
                )
                _ = await offsets.committedOffset(
                    group: key.group,
                    topic: key.topic,
                    partitionID: key.partitionID,
                    confirmingTentative: true
                )
                return .empty(GetMessageResponseB2C.failure(.notFound, ReplyText.reachedMaxOffset, minLimitTime: -1))
            }
            var payloadBytes = 0
            for message in result.messages { payloadBytes &+= message.payload.readableBytes }
            if !request.escFlowCtrl {
                let lag = max(0, result.range.max - start)
                let now = clock()
                if let wait = catalog.flowControl.refusal(group: key.group, lagBytes: lag, now: now) {
                    return .reply(
                        GetMessageResponseB2C.failure(
                            .consumeSpeedLimit,
                            ReplyText.flowControlLimited(group: key.group),
                            minLimitTime: wait
                        )
                    )
                }
                catalog.flowControl.consumed(group: key.group, bytes: payloadBytes, lagBytes: lag, now: now)
            }
            await offsets.setTentativeOffset(
                group: key.group,
                topic: key.topic,
                partitionID: key.partitionID,
                offset: result.nextOffset
            )
            if faults.noRedelivery {
                _ = try await offsets.confirmTentativeOffset(
                    group: key.group,
                    topic: key.topic,
                    partitionID: key.partitionID
                )
            }
            metrics.topic(key.topic).recordOut(messages: result.messages.count, bytes: payloadBytes)
            return .reply(
                Self.encodeSuccess(
                    result,
                    start: start,
                    payloadBytes: payloadBytes,
                    withOffsets: request.messageOffsets
                )
            )
        } catch {
            return .reply(
                GetMessageResponseB2C.failure(Self.errorCode(for: error), "Get message failed: \(error.message)")
            )
        }
    }

    /// The success reply for `result`, read from `start`, whose payloads come to `payloadBytes`; with
    /// each message's offset when the get asked for them (`messageOffsets`, our extension).
    static func encodeSuccess(
        _ result: ReadResult,
        start: Int64,
        payloadBytes: Int,
        withOffsets: Bool = false
    ) -> EncodedMessage {
        var writer = GetMessageReplyWriter(
            success: true,
            errCode: ErrorCode.success.rawValue,
            errMsg: ReplyText.ok,
            capacity: 64 + payloadBytes + result.messages.count
                * GetMessageReplyWriter.maximumEntrySize(payloadLength: 0, withOffset: withOffsets)
        )
        for stored in result.messages {
            stored.payload.withUnsafeReadableBytes { payload in
                writer.append(
                    messageID: stored.messageID,
                    checksum: stored.checksum,
                    flag: stored.flag,
                    payload: payload,
                    offset: withOffsets ? stored.offset : nil
                )
            }
        }
        return writer.finish(
            currOffset: start,
            minLimitTime: 0,
            escFlowCtrl: false,
            currDataDlt: max(0, result.range.max - result.nextOffset),
            requireSlow: false,
            maxOffset: result.range.max
        )
    }

    /// Reads a batch: at most `transferSize` payload bytes and ``maximumBatchCount`` messages, or fewer
    /// when the get's `maxCount` extension (1002) asks for fewer.
    private func read(
        key: ConsumerSessions.Key,
        from offset: Int64,
        filters: Set<Int32>,
        maxCount: Int32
    ) async throws(StorageError)
        -> ReadResult
    {
        try await store.read(
            topic: key.topic,
            ReadRequest(
                partitionID: key.partitionID,
                offset: offset,
                maxBytes: transferSize,
                maxCount: maxCount > 0 ? min(Int(maxCount), Self.maximumBatchCount) : Self.maximumBatchCount,
                typeHashes: filters.isEmpty ? nil : filters
            )
        )
    }

    /// The most messages one get returns.
    static let maximumBatchCount = 1000

    /// Method 18: confirm the last batch and report the committed offset.
    ///
    /// The confirmation is written to the offset log in the background, as a fetch's is (see
    /// `OffsetStore.committedOffset(group:topic:partitionID:confirmingTentative:)`): a crash before that
    /// sync delivers the batch again, never loses it.
    func commit(_ request: CommitOffsetRequestC2B) async -> CommitOffsetResponseB2C {
        let key = key(group: request.groupName, topic: request.topicName, partition: request.partitionID)
        let (access, _) = registry.touch(key, consumerID: request.clientID)
        guard access == .held else {
            var reply = CommitOffsetResponseB2C()
            reply.success = false
            reply.errCode = ErrorCode.unauthorized.rawValue
            reply.errMsg = ReplyText.partitionNotRegistered
            reply.currOffset = -1
            return reply
        }
        do {
            let committed = await store.offsets.committedOffset(
                group: key.group,
                topic: key.topic,
                partitionID: key.partitionID,
                confirmingTentative: request.lastPackConsumed
            )
            let range = try await store.offsetRange(topic: key.topic, partitionID: key.partitionID)
            var reply = CommitOffsetResponseB2C()
            reply.success = true
            reply.errCode = ErrorCode.success.rawValue
            reply.errMsg = ReplyText.ok
            reply.currOffset = committed ?? range.min
            reply.maxOffset = range.max
            return reply
        } catch {
            var reply = CommitOffsetResponseB2C()
            reply.success = false
            reply.errCode = Self.errorCode(for: error).rawValue
            reply.errMsg = "Commit failed: \(error.message)"
            reply.currOffset = -1
            return reply
        }
    }

    /// Method 16: refresh the consumer's partitions; report those it no longer holds.
    func heartbeat(_ request: HeartBeatRequestC2B) async -> HeartBeatResponseB2C {
        var failures: [String] = []
        for info in request.partitionInfo {
            guard let partition = MetadataStrings.parsePartitionInfo(info) else {
                failures.append("\(ErrorCode.badRequest.rawValue):\(info)")
                continue
            }
            let key = key(group: request.groupName, topic: partition.topic, partition: partition.id)
            let (access, _) = registry.touch(key, consumerID: request.clientID)
            switch access {
            case .held: continue
            case .heldBy: failures.append(MetadataStrings.failureInfo(code: .duplicatePartition, partition: partition))
            case .unknownConsumer, .notRegistered:
                failures.append(MetadataStrings.failureInfo(code: .heartbeatNoNode, partition: partition))
            }
        }
        var reply = HeartBeatResponseB2C()
        reply.success = true
        reply.errCode = ErrorCode.success.rawValue
        reply.errMsg = ReplyText.ok
        reply.hasPartFailure_p = !failures.isEmpty
        reply.failureInfo = failures
        reply.requireAuth = false
        return reply
    }
}

extension GetMessageResponseB2C {
    static func failure(_ code: ErrorCode, _ text: String, minLimitTime: Int32 = 0) -> GetMessageResponseB2C {
        var reply = GetMessageResponseB2C()
        reply.success = false
        reply.errCode = code.rawValue
        reply.errMsg = text
        reply.currOffset = -1
        reply.minLimitTime = minLimitTime
        reply.escFlowCtrl = false
        reply.currDataDlt = -1
        return reply
    }
}

/// What one read for a get came to.
enum GetOutcome {
    /// A reply to send as it is.
    case reply(any SwiftProtobuf.Message)
    /// A 404: nothing to hand out yet; a long poll waits and reads again.
    case empty(GetMessageResponseB2C)

    var reply: any SwiftProtobuf.Message {
        switch self {
        case .reply(let message): message
        case .empty(let message): message
        }
    }

    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }
}
