import TubeMQBroker
import TubeMQWebSupport

/// The consumers registered on this broker: `admin_get_group_detail_info` (also
/// `admin_query_broker_all_consumer_info`).
extension BrokerWebAPI {
    static let consumerMethods = BrokerWebMethod.aliases(
        "admin_get_group_detail_info",
        "admin_query_broker_all_consumer_info"
    ) { api, p throws(BrokerWebError) in try await api.consumerDetails(p) }

    /// `admin_get_group_detail_info`: each partition a consumer holds here (of the groups of the
    /// `groupName` list, or of every group), by group, topic and partition: who holds it, when it was
    /// last heard from for it (`lastRegTime`, ms), whether it filters (`isFilterConsume`), and where
    /// the group stands (`tmpOffset` in flight, `zkOffset` committed, -1 when none; `minOffset` and
    /// `maxOffset` the store's range). TubeMQ's per-consumer flow-control figures (`qryPriorityId`,
    /// `curDataLimitInM`, `curFreqLimit`, `totalSentSec`, `sentUnitSec`, `totalSentMin`, `sentUnit`)
    /// are not kept per consumer here and are -1, `isSupportLimit` false; data offsets are -1.
    func consumerDetails(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let groups: Set<String>
        do throws(WebParameterError) {
            groups = Set(try p.list(.groupName))
        } catch {
            throw BrokerWebError(error)
        }
        let holdings = broker.consumerHoldings().filter { groups.isEmpty || groups.contains($0.group) }.sorted {
            ($0.group, $0.topic, $0.partitionID) < ($1.group, $1.topic, $1.partitionID)
        }
        var offsets: [String: [PartitionOffsets]] = [:]
        for group in Set(holdings.map(\.group)) { offsets[group] = await broker.groupOffsets(group: group) }
        let items: [JSON] = holdings.enumerated().map { index, holding in
            var item: JSONObject = [
                "index": .int(index + 1), "groupName": .string(holding.group), "topicName": .string(holding.topic),
                "partitionId": .int(holding.partitionID), "consumerId": .string(holding.consumerID), "isRegOk": true,
                "lastRegTime": .number(holding.lastSeen), "isFilterConsume": .bool(holding.filtersMessages),
                "qryPriorityId": -1, "curDataLimitInM": -1, "curFreqLimit": -1, "totalSentSec": -1,
                "isSupportLimit": false, "sentUnitSec": -1, "totalSentMin": -1, "sentUnit": -1,
            ]
            let partition = offsets[holding.group]?.first {
                $0.topic == holding.topic && $0.partitionID == holding.partitionID
            }
            guard let partition else {
                item.append("isMessageStoreOk", false)
                return .object(item)
            }
            item.append(contentsOf: [
                "isMessageStoreOk": true, "tmpOffset": .number(partition.tentative ?? -1),
                "minOffset": .number(partition.range.min), "maxOffset": .number(partition.range.max),
                "zkOffset": .number(partition.committed ?? -1), "minDataOffset": -1, "maxDataOffset": -1,
            ])
            return .object(item)
        }
        return BrokerEnvelope.dataSet(items)
    }
}
