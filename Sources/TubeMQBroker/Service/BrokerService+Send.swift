import Foundation
import NIOCore
import TubeMQCore
import TubeMQStorage
import TubeMQWire

extension BrokerService {
    /// Method 13: append one message to its partition.
    func send(_ request: SendMessageRequestP2B) async -> SendMessageResponseB2P {
        await send(batch: [request])[0]
    }

    /// Method 13 for many calls at once: every message is checked on its own, then the accepted
    /// ones are appended with one storage call per storage instance (group commit), in the order
    /// they arrived. Returns one reply per request, in order.
    func send(batch requests: [SendMessageRequestP2B]) async -> [SendMessageResponseB2P] {
        var replies = [SendMessageResponseB2P?](repeating: nil, count: requests.count)
        var groups: [AppendGroup] = []
        let stopWrite = catalog.serviceFlags.stopWrite
        let messageIDs = ids.next(requests.count)
        var lastTopic: BrokerTopic?
        for (index, request) in requests.enumerated() {
            if lastTopic?.name != request.topicName { lastTopic = await catalog.topicAfterStart(request.topicName) }
            switch prepare(request, topic: lastTopic, stopWrite: stopWrite, id: messageIDs[index]) {
            case .failure(let refusal):
                replies[index] = refusal.reply
            case .success(let message):
                let store = PartitionID.storeIndex(of: message.partitionID)
                if let existing = groups.firstIndex(where: { $0.topic == request.topicName && $0.store == store }) {
                    groups[existing].add(message, for: index)
                } else {
                    var group = AppendGroup(topic: request.topicName, store: store)
                    group.add(message, for: index)
                    groups.append(group)
                }
            }
        }
        for group in groups {
            for (index, reply) in await append(group) { replies[index] = reply }
        }
        return replies.map { $0 ?? .failure(.internalServerError, "Put message failed: no reply") }
    }

    /// Checks one send against its topic (`nil`: not on this broker) and turns it into the message to
    /// append, with id `id`.
    private func prepare(
        _ request: SendMessageRequestP2B,
        topic: BrokerTopic?,
        stopWrite: Bool,
        id: Int64
    ) -> Result<AppendMessage, SendRefusal> {
        let topicName = request.topicName
        guard let topic else {
            return .failure(SendRefusal(.forbidden, ReplyText.topicNotExisted(topicName)))
        }
        guard topic.hasPartition(request.partitionID) else {
            return .failure(
                SendRefusal(
                    .forbidden,
                    ReplyText.partitionNotExisted(topic: topicName, partitionID: request.partitionID)
                )
            )
        }
        guard topic.acceptPublish, !stopWrite else {
            return .failure(SendRefusal(.serviceUnavailable, ReplyText.writeServiceStopped(topicName)))
        }
        let data = request.data
        guard !data.isEmpty else { return .failure(SendRefusal(.badRequest, ReplyText.dataLengthZero)) }
        let allowed = topic.maxMessageSize + Message.headerAllowance
        guard data.count <= allowed else {
            return .failure(SendRefusal(.badRequest, ReplyText.dataOverMaxLength(allowed: allowed, size: data.count)))
        }
        let computed = data.withUnsafeBytes { CRC32.tubeChecksum($0) }
        if request.checkSum != -1 && request.checkSum != computed && !faults.acceptBadChecksums {
            return .failure(
                SendRefusal(
                    .forbidden,
                    ReplyText.checksumMismatch(sent: request.checkSum, topic: topicName, computed: computed)
                )
            )
        }
        let type: String? =
            request.hasMsgType && !request.msgType.isEmpty
            ? request.msgType
            : data.withUnsafeBytes { MessageAttributes.messageType(inPayload: $0, flag: request.flag) }
        return .success(
            AppendMessage(
                partitionID: request.partitionID,
                messageID: id,
                flag: request.flag,
                typeHash: type?.javaHashCode ?? 0,
                payload: data.withUnsafeBytes { ByteBuffer(bytes: $0) },
                checksum: computed
            )
        )
    }

    /// Appends one group and answers each of its messages. A group the storage refuses as a whole
    /// for a reason tied to one message is retried one message at a time, so that only that
    /// message fails.
    private func append(_ group: AppendGroup) async -> [(Int, SendMessageResponseB2P)] {
        do {
            let started = ContinuousClock.now
            let result = try await store.append(topic: group.topic, group.messages)
            if wakeups.hasWaiters {
                wakeups.appended(topic: group.topic, partitionIDs: Set(group.messages.lazy.map(\.partitionID)))
            }
            metrics.recordAppend(ContinuousClock.now - started)
            var bytes = 0
            for message in group.messages { bytes &+= message.payload.readableBytes }
            metrics.topic(group.topic).recordIn(messages: group.messages.count, bytes: bytes)
            return group.indices.enumerated().map { position, index in
                (
                    index,
                    Self.accepted(
                        group.messages[position],
                        at: result.offset(ofMessage: position),
                        time: result.appendTime
                    )
                )
            }
        } catch {
            let perMessage = error.code == .messageTooLarge || error.code == .unknownPartition
            guard perMessage, group.messages.count > 1 else {
                let reply = SendMessageResponseB2P.failure(
                    Self.errorCode(for: error),
                    Self.failureText(error, group.topic)
                )
                return group.indices.map { ($0, reply) }
            }
            var replies: [(Int, SendMessageResponseB2P)] = []
            for (position, index) in group.indices.enumerated() {
                var single = AppendGroup(topic: group.topic, store: group.store)
                single.add(group.messages[position], for: index)
                replies += await append(single)
            }
            return replies
        }
    }

    private static func accepted(_ message: AppendMessage, at offset: Int64, time: Int64) -> SendMessageResponseB2P {
        var reply = SendMessageResponseB2P()
        reply.success = true
        reply.errCode = ErrorCode.success.rawValue
        reply.errMsg = String(message.messageID)
        reply.requireAuth = false
        reply.messageID = message.messageID
        reply.appendTime = time
        reply.appendOffset = offset
        return reply
    }

    /// The errMsg of a send the store refused: TubeMQ's "Put message failed from" and what happened,
    /// saying "no space left on device" when the disk or quota is full.
    static func failureText(_ error: StorageError, _ topic: String) -> String {
        if error.code == .noSpace, !error.message.contains("no space left on device") {
            return "Put message failed from \(topic): no space left on device (\(error.message))"
        }
        return "Put message failed from \(topic): \(error.message)"
    }

    /// The errCode of a send the store refused; a write failure of any cause is TubeMQ's 500.
    static func errorCode(for error: StorageError) -> ErrorCode {
        switch error.code {
        case .messageTooLarge, .invalidArgument: return .badRequest
        case .unknownTopic, .unknownPartition: return .forbidden
        case .closed: return .serviceUnavailable
        default: return .internalServerError
        }
    }
}

/// Messages bound for one storage instance of one topic, with the position of each in the batch.
private struct AppendGroup {
    let topic: String
    let store: Int32
    var messages: [AppendMessage] = []
    var indices: [Int] = []

    init(topic: String, store: Int32) {
        self.topic = topic
        self.store = store
    }

    mutating func add(_ message: AppendMessage, for index: Int) {
        messages.append(message)
        indices.append(index)
    }
}

/// A send refused before storage: the reply's code and text.
private struct SendRefusal: Error {
    let reply: SendMessageResponseB2P

    init(_ code: ErrorCode, _ text: String) {
        reply = .failure(code, text)
    }
}

extension SendMessageResponseB2P {
    static func failure(_ code: ErrorCode, _ text: String) -> SendMessageResponseB2P {
        var reply = SendMessageResponseB2P()
        reply.success = false
        reply.errCode = code.rawValue
        reply.errMsg = text
        return reply
    }
}
