import NIOCore
import SwiftProtobuf
import TubeMQMaster
import TubeMQWire

/// Replays the master side of a recording over RPC against a ``TestMaster``: each recorded request
/// is sent at its recorded time (the manual clock is advanced to it, running balance rounds and
/// expiries on the way), and each recorded reply is compared with ours (``ReplyComparison``).
///
/// Values that are ours to choose are translated in later requests: the broker checksum producers
/// echo, the rebalance id consumers acknowledge, the configuration id brokers hold.
struct MasterReplay {
    let harness: TestMaster
    /// The clock time of the recording's time 0.
    let origin: Int64

    private(set) var mismatches: [String] = []
    private(set) var comparedReplies = 0
    private(set) var comparedEvents = 0
    private(set) var skippedFrames = 0
    private var answers: [String: ResponseEnvelope] = [:]
    private var checksums: [Int64: Int64] = [-1: -1]
    private var rebalanceIDs: [Int64: Int64] = [:]
    private var configIDs: [Int64: Int64] = [:]
    /// Client balance: the broker-list and topic-metadata versions, recorded to ours (-2 stays).
    private var brokerListIDs: [Int64: Int64] = [-2: -2]
    private var topicMetaIDs: [Int64: Int64] = [-2: -2]

    init(harness: TestMaster, origin: Int64) {
        self.harness = harness
        self.origin = origin
    }

    mutating func run(_ frames: [RecordedFrame]) async {
        var skipped: Set<String> = []
        for frame in frames {
            if frame.isRequest {
                await harness.advance(to: origin + Int64(frame.time.rounded(.down)))
                guard let envelope = frame.request else {
                    skipped.insert(frame.key)
                    skippedFrames += 1
                    continue
                }
                do {
                    answers[frame.key] = try await harness.raw(
                        method: envelope.method,
                        request: rewrite(envelope),
                        serviceType: envelope.serviceType.map { ServiceType(rawValue: $0) },
                        protocolVersion: envelope.protocolVersion ?? 3
                    )
                } catch {
                    mismatches.append("t=\(frame.time) \(frame.key): call failed: \(error)")
                }
            } else if skipped.remove(frame.key) != nil {
                skippedFrames += 1
            } else {
                compare(frame)
            }
        }
    }

    // MARK: requests

    private func rewrite(_ envelope: RequestEnvelope) -> ByteBuffer? {
        guard let body = envelope.request else { return nil }
        let bytes = Array(body.readableBytesView)
        let rewritten: (any SwiftProtobuf.Message)?
        switch envelope.method {
        case 1:
            rewritten = (try? RegisterRequestP2M(serializedBytes: bytes)).map {
                var request = $0
                request.brokerCheckSum = checksums[request.brokerCheckSum] ?? request.brokerCheckSum
                return request
            }
        case 2:
            rewritten = (try? HeartRequestP2M(serializedBytes: bytes)).map {
                var request = $0
                request.brokerCheckSum = checksums[request.brokerCheckSum] ?? request.brokerCheckSum
                return request
            }
        case 5:
            rewritten = (try? HeartRequestC2M(serializedBytes: bytes)).map {
                var request = $0
                if request.hasEvent {
                    request.event.rebalanceID = rebalanceIDs[request.event.rebalanceID] ?? request.event.rebalanceID
                }
                return request
            }
        case 8:
            rewritten = (try? HeartRequestB2M(serializedBytes: bytes)).map {
                var request = $0
                request.curBrokerConfID = configIDs[request.curBrokerConfID] ?? request.curBrokerConfID
                return request
            }
        case 20:
            rewritten = (try? RegisterRequestC2MV2(serializedBytes: bytes)).map {
                var request = $0
                if request.hasSubRepInfo { request.subRepInfo = translate(request.subRepInfo) }
                return request
            }
        case 21:
            rewritten = (try? HeartRequestC2MV2(serializedBytes: bytes)).map {
                var request = $0
                if request.hasSubRepInfo { request.subRepInfo = translate(request.subRepInfo) }
                return request
            }
        case 22:
            rewritten = (try? GetPartMetaRequestC2M(serializedBytes: bytes)).map {
                var request = $0
                request.brokerConfigID = brokerListIDs[request.brokerConfigID] ?? request.brokerConfigID
                request.topicMetaInfoID = topicMetaIDs[request.topicMetaInfoID] ?? request.topicMetaInfoID
                return request
            }
        default:
            rewritten = nil
        }
        guard let rewritten, let encoded: [UInt8] = try? rewritten.serializedBytes() else { return body }
        return ByteBuffer(bytes: encoded)
    }

    /// A client-balance report in our versions; the assignment time moves with the topic-metadata
    /// version it followed (the client assigns right after it learns the metadata).
    private func translate(_ info: ClientSubRepInfo) -> ClientSubRepInfo {
        var info = info
        info.brokerConfigID = brokerListIDs[info.brokerConfigID] ?? info.brokerConfigID
        let recordedMetaID = info.topicMetaInfoID
        info.topicMetaInfoID = topicMetaIDs[recordedMetaID] ?? recordedMetaID
        if info.hasLstAssignedTime, let ours = topicMetaIDs.first(where: { $0.key > 0 }) {
            info.lstAssignedTime = ours.value + (info.lstAssignedTime - ours.key)
        }
        return info
    }

    // MARK: replies

    private mutating func compare(_ frame: RecordedFrame) {
        let at = "t=\(frame.time) \(frame.key)"
        guard let ours = answers.removeValue(forKey: frame.key) else {
            mismatches.append("\(at): no request of ours for this reply")
            return
        }
        guard let recorded = frame.response else {
            mismatches.append("\(at): recorded reply does not decode")
            return
        }
        comparedReplies += 1
        switch (recorded, ours) {
        case (.exception(let left), .exception(let right)):
            if left != right { mismatches.append("\(at): recorded exception \(left), ours \(right)") }
        case (.success(let method, let left), .success(let ourMethod, let right)):
            guard method == ourMethod, let type = RPCMethod.withID(method)?.responseType else {
                mismatches.append("\(at): recorded method \(method), ours \(ourMethod)")
                return
            }
            guard let recordedReply = try? type.init(serializedBytes: Array(left.readableBytesView)),
                let ourReply = try? type.init(serializedBytes: Array(right.readableBytesView))
            else {
                mismatches.append("\(at): a \(type) reply does not decode")
                return
            }
            learn(recorded: recordedReply, ours: ourReply)
            mismatches += ReplyComparison.differences(recorded: recordedReply, ours: ourReply).map {
                "\(at) \(type): \($0)"
            }
        default:
            mismatches.append("\(at): recorded \(recorded), ours \(ours)")
        }
    }

    /// Records the translation of our chosen values for later requests.
    private mutating func learn(recorded: any SwiftProtobuf.Message, ours: any SwiftProtobuf.Message) {
        switch (recorded, ours) {
        case (let left as RegisterResponseM2P, let right as RegisterResponseM2P):
            checksums[left.brokerCheckSum] = right.brokerCheckSum
        case (let left as HeartResponseM2P, let right as HeartResponseM2P):
            checksums[left.brokerCheckSum] = right.brokerCheckSum
        case (let left as HeartResponseM2C, let right as HeartResponseM2C):
            if left.hasEvent {
                comparedEvents += 1
                if right.hasEvent { rebalanceIDs[left.event.rebalanceID] = right.event.rebalanceID }
            }
        case (let left as RegisterResponseM2CV2, let right as RegisterResponseM2CV2):
            brokerListIDs[left.brokerConfigID] = right.brokerConfigID
        case (let left as HeartResponseM2CV2, let right as HeartResponseM2CV2):
            brokerListIDs[left.brokerConfigID] = right.brokerConfigID
            if left.hasTopicMetaInfoID { topicMetaIDs[left.topicMetaInfoID] = right.topicMetaInfoID }
        case (let left as GetPartMetaResponseM2C, let right as GetPartMetaResponseM2C):
            brokerListIDs[left.brokerConfigID] = right.brokerConfigID
            topicMetaIDs[left.topicMetaInfoID] = right.topicMetaInfoID
        case (let left as RegisterResponseM2B, let right as RegisterResponseM2B):
            configIDs[left.curBrokerConfID] = right.curBrokerConfID
        case (let left as HeartResponseM2B, let right as HeartResponseM2B):
            configIDs[left.curBrokerConfID] = right.curBrokerConfID
        default:
            break
        }
    }
}
