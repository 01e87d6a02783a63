import Foundation
import TubeMQBroker
import TubeMQCore
import TubeMQWebSupport

/// `admin_snapshot_message`: the newest messages of a partition, read without a consumer group.
extension BrokerWebAPI {
    static let snapshotMethods: [BrokerWebMethod] = [
        BrokerWebMethod("admin_snapshot_message") { api, p throws(BrokerWebError) in try await api.snapshot(p) }
    ]

    /// The most messages one snapshot returns (TubeMQ's bound).
    static let snapshotMaxCount: Int64 = 50
    /// The most payload bytes one snapshot keeps (the newest message always, whatever its size).
    static let snapshotMaxBytes = 1 << 20

    /// `admin_snapshot_message`: the newest `msgCount` messages (default 3, at most 50) of
    /// `partitionId` of `topicName` (the topic's first partition when absent or -1), of the
    /// `filterConds` message types only when given, oldest first: `{index, data, attr}` with the body
    /// in base64 and the attributes as `k=v,k=v`. Nothing is booked and no offset moves. Bounded: see
    /// ``TubeMQBroker/BrokerServer/latestMessages(topic:partitionID:count:filterItems:maxBytes:)``;
    /// at most ``snapshotMaxBytes`` of payload. None found: errCode 401, as in TubeMQ.
    func snapshot(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let topic: String
        let partition: Int32?
        let count: Int64
        let filters: [String]
        do throws(WebParameterError) {
            topic = try p.requiredString(.topicName)
            let asked = try p.int32(.partitionID, range: -1...Int64(Int32.max)) ?? -1
            partition = asked < 0 ? nil : asked
            let wanted = try p.int32(.msgCount, range: 1...Int64(Int32.max)) ?? 3
            count = Int64(wanted)
            guard count <= Self.snapshotMaxCount else {
                throw WebParameterError(
                    "Over max allowed msgCount value, allowed count is \(Self.snapshotMaxCount)!"
                )
            }
            filters = try p.list(.filterConds)
        } catch {
            throw BrokerWebError(error)
        }
        let messages: [Message]
        do {
            messages = try await broker.latestMessages(
                topic: topic,
                partitionID: partition,
                count: Int(count),
                filterItems: filters,
                maxBytes: Self.snapshotMaxBytes
            ).messages
        } catch {
            throw BrokerWebError(error)
        }
        guard !messages.isEmpty else {
            return BrokerEnvelope.failure(code: 401, "Could not find message at position by topic (\(topic))!")
        }
        let items: [JSON] = messages.enumerated().map { index, message in
            .object([
                "index": .int(index), "data": .string(Data(message.body).base64EncodedString()),
                "attr": .string(MessageAttributes.encode(message.attributes)),
            ])
        }
        return ["result": true, "errCode": 0, "errMsg": "Success!", "dataSet": .array(items)]
    }
}
