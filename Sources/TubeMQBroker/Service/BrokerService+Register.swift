import TubeMQCore
import TubeMQStorage
import TubeMQWire

extension BrokerService {
    /// Method 15: register (opType 31) or unregister (opType 32) a consumer's partition.
    func registerOrUnregister(_ request: RegisterRequestC2B) async -> RegisterResponseB2C {
        switch request.opType {
        case 31: return await register(request)
        case 32: return await unregister(request)
        default: return .failure(.badRequest, "Unsupported opType \(request.opType), expected 31 or 32")
        }
    }

    private func register(_ request: RegisterRequestC2B) async -> RegisterResponseB2C {
        if let problem = NameRules.clientProblem(clientID: request.clientID, hostName: "")
            ?? NameRules.lengthProblem("group name", request.groupName, max: NameRules.maxGroupLength)
            ?? NameRules.filterSizeProblem(Set(request.filterCondStr))
        {
            return .failure(.badRequest, problem)
        }
        guard let topic = await catalog.topicAfterStart(request.topicName) else {
            return .failure(.forbidden, ReplyText.topicNotExisted(request.topicName))
        }
        guard topic.hasPartition(request.partitionID) else {
            return .failure(
                .forbidden,
                ReplyText.partitionNotExisted(topic: request.topicName, partitionID: request.partitionID)
            )
        }
        guard topic.acceptSubscribe, !catalog.serviceFlags.stopRead else {
            return .failure(.serviceUnavailable, ReplyText.readServiceStopped)
        }
        let key = key(group: request.groupName, topic: request.topicName, partition: request.partitionID)
        let filters = Set(request.filterCondStr.filter { !$0.isEmpty }.map(\.javaHashCode))
        if case .failure(let conflict) = registry.register(key, consumerID: request.clientID, filterHashes: filters) {
            return .failure(
                .partitionOccupied,
                ReplyText.duplicatedRegister(
                    brokerID: brokerID,
                    group: key.group,
                    topic: key.topic,
                    partitionID: key.partitionID,
                    owner: conflict.owner
                )
            )
        }
        do {
            let range = try await store.offsetRange(topic: key.topic, partitionID: key.partitionID)
            let committed = await store.offsets.committedOffset(
                group: key.group,
                topic: key.topic,
                partitionID: key.partitionID
            )
            var start = Self.startOffset(request: request, committed: committed, range: range)
            if !request.hasCurrOffset || request.currOffset < 0, request.hasStartTime, request.startTime >= 0 {
                start = try await store.offset(
                    topic: key.topic,
                    partitionID: key.partitionID,
                    atOrAfterTime: request.startTime
                )
            }
            await store.offsets.discardTentativeOffset(group: key.group, topic: key.topic, partitionID: key.partitionID)
            if start != committed {
                try await store.offsets.commit(
                    group: key.group,
                    topic: key.topic,
                    partitionID: key.partitionID,
                    offset: start
                )
            }
            var reply = RegisterResponseB2C()
            reply.success = true
            reply.errCode = ErrorCode.success.rawValue
            reply.errMsg = ReplyText.ok
            reply.currOffset = start
            reply.maxOffset = range.max
            return reply
        } catch {
            _ = registry.unregister(key, consumerID: request.clientID)
            return .failure(Self.errorCode(for: error), "Register failed: \(error.message)")
        }
    }

    /// Where a newly registered consumer starts reading (`readStatus` applies to the group's first registration).
    /// A `startTime` (our extension) is looked up in the store by the caller and wins over `readStatus`
    /// and the committed offset; `currOffset` wins over both.
    static func startOffset(request: RegisterRequestC2B, committed: Int64?, range: OffsetRange) -> Int64 {
        func clamp(_ offset: Int64) -> Int64 { min(max(offset, range.min), range.max) }
        if request.hasCurrOffset, request.currOffset >= 0 { return clamp(request.currOffset) }
        if request.readStatus == 2 { return range.max }
        if let committed { return clamp(committed) }
        return request.readStatus == 1 ? range.max : range.min
    }

    private func unregister(_ request: RegisterRequestC2B) async -> RegisterResponseB2C {
        let key = key(group: request.groupName, topic: request.topicName, partition: request.partitionID)
        switch registry.unregister(key, consumerID: request.clientID) {
        case .failure(let conflict):
            return .failure(
                .duplicatePartition,
                ReplyText.duplicatedUnregister(
                    group: key.group,
                    topic: key.topic,
                    partitionID: key.partitionID,
                    owner: conflict.owner,
                    consumer: request.clientID,
                    brokerHost: host
                )
            )
        case .success(let held):
            if held {
                // readStatus 0 on unregister confirms the last batch; anything else gives it back.
                if request.readStatus == 0 {
                    _ = try? await store.offsets.confirmTentativeOffset(
                        group: key.group,
                        topic: key.topic,
                        partitionID: key.partitionID
                    )
                } else {
                    await store.offsets.discardTentativeOffset(
                        group: key.group,
                        topic: key.topic,
                        partitionID: key.partitionID
                    )
                }
            }
            var reply = RegisterResponseB2C()
            reply.success = true
            reply.errCode = ErrorCode.success.rawValue
            reply.errMsg = ReplyText.ok
            reply.currOffset = -1
            return reply
        }
    }
}

extension RegisterResponseB2C {
    static func failure(_ code: ErrorCode, _ text: String) -> RegisterResponseB2C {
        var reply = RegisterResponseB2C()
        reply.success = false
        reply.errCode = code.rawValue
        reply.errMsg = text
        reply.currOffset = -1
        return reply
    }
}
