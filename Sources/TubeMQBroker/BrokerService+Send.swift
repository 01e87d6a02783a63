import Foundation
import NIOCore
import TubeMQCore
import TubeMQStorage
import TubeMQWire

extension BrokerService {
    /// Method 13: append one message to its partition.
    func send(_ request: SendMessageRequestP2B) async -> SendMessageResponseB2P {
        let topicName = request.topicName
        guard let topic = catalog.topic(topicName) else {
            return .failure(.forbidden, ReplyText.topicNotExisted(topicName))
        }
        guard topic.hasPartition(request.partitionID) else {
            return .failure(.forbidden, ReplyText.partitionNotExisted(topic: topicName, partitionID: request.partitionID))
        }
        guard topic.acceptPublish, !catalog.serviceFlags.stopWrite else {
            return .failure(.serviceUnavailable, ReplyText.writeServiceStopped(topicName))
        }
        let data = request.data
        guard !data.isEmpty else { return .failure(.badRequest, ReplyText.dataLengthZero) }
        guard data.count <= topic.maxMessageSize else {
            return .failure(
                .badRequest, ReplyText.messageTooLarge(topic: topicName, size: data.count, max: topic.maxMessageSize))
        }
        let computed = data.withUnsafeBytes { CRC32.tubeChecksum($0) }
        if request.checkSum != -1 && request.checkSum != computed && !faults.acceptBadChecksums {
            return .failure(.forbidden, ReplyText.checksumMismatch(sent: request.checkSum, topic: topicName, computed: computed))
        }
        let type: String? =
            request.hasMsgType && !request.msgType.isEmpty
            ? request.msgType
            : data.withUnsafeBytes { MessageAttributes.messageType(inPayload: $0, flag: request.flag) }
        let id = ids.next()
        let message = AppendMessage(
            partitionID: request.partitionID,
            messageID: id,
            flag: request.flag,
            typeHash: type?.javaHashCode ?? 0,
            payload: ByteBuffer(bytes: data),
            checksum: computed
        )
        do {
            let result = try await store.append(topic: topicName, [message])
            var reply = SendMessageResponseB2P()
            reply.success = true
            reply.errCode = ErrorCode.success.rawValue
            reply.errMsg = String(id)
            reply.requireAuth = false
            reply.messageID = id
            reply.appendTime = result.appendTime
            reply.appendOffset = result.firstOffset
            return reply
        } catch {
            return .failure(Self.errorCode(for: error), "Put message failed from \(topicName): \(error.message)")
        }
    }

    static func errorCode(for error: StorageError) -> ErrorCode {
        switch error.code {
        case .messageTooLarge, .invalidArgument: return .badRequest
        case .unknownTopic, .unknownPartition: return .forbidden
        case .closed: return .serviceUnavailable
        default: return .internalServerError
        }
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
