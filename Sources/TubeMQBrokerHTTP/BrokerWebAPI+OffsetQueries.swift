import TubeMQBroker
import TubeMQStorage
import TubeMQWebSupport

/// Offset queries: `admin_query_group_offset` and `admin_query_offset`.
extension BrokerWebAPI {
    static let offsetQueryMethods: [BrokerWebMethod] = [
        BrokerWebMethod("admin_query_group_offset") { api, p throws(BrokerWebError) in try await api.queryGroupOffset(p)
        },
        BrokerWebMethod("admin_query_offset") { api, p throws(BrokerWebError) in try await api.queryOffset(p) },
    ]

    /// `admin_query_group_offset`: per group (all booked groups by default), per topic, the offsets
    /// of every partition on this broker.
    func queryGroupOffset(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        var groups: [String]
        let topics: [String]
        do throws(WebParameterError) {
            groups = try p.list(.groupName)
            topics = try p.list(.topicName)
        } catch {
            throw BrokerWebError(error)
        }
        if groups.isEmpty { groups = await broker.bookedGroups() }
        var items: [JSON] = []
        for group in groups {
            let subscriptions = OffsetJSON.topics(await broker.groupOffsets(group: group, topics: topics))
            items.append(
                .object([
                    "groupName": .string(group), "subInfo": .array(subscriptions),
                    "topicCount": .int(subscriptions.count),
                ])
            )
        }
        return BrokerEnvelope.dataSet(items)
    }

    /// `admin_query_offset`: one partition's stored range and the group's offsets in it; `zkOffset` is
    /// read from ZooKeeper when the broker commits offsets there (`enableWriteOffset2Zk`), else it is
    /// the broker's committed offset.
    func queryOffset(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let topic: String
        let group: String
        let partition: Int32
        do throws(WebParameterError) {
            topic = try p.requiredString(.topicName)
            group = try p.requiredString(.groupName)
            partition = try p.int32(.partitionID, required: true, range: 0...Int64(Int32.max)) ?? 0
            _ = try p.bool(.requireRealOffset)
        } catch {
            throw BrokerWebError(error)
        }
        let range = try await range(topic: topic, partitionID: partition)
        let current = await broker.groupOffsets(group: group, topics: [topic]).first { $0.partitionID == partition }
        var stored = current?.committed
        if let mirror = broker.zooKeeperOffsets {
            // enableWriteOffset2Zk: the offset as ZooKeeper holds it (TubeMQ's zkOffset).
            do {
                stored = try await mirror.offset(group: group, topic: topic, partitionID: partition)
            } catch {
                throw BrokerWebError("\(error)")
            }
        }
        let item: JSONObject = [
            "topicName": .string(topic), "groupName": .string(group), "partitionId": .int(partition),
            "minOffset": .number(range.min), "maxOffset": .number(range.max), "minDataOffset": -1,
            "maxDataOffset": -1, "zkOffset": .number(stored ?? -1),
            "tmpOffset": .number(current?.tentative ?? -1), "curReadDataOffset": -1, "curRdDltDataOffset": -1,
        ]
        return Envelope.success(objects: [item])
    }

    /// The stored offset range of a partition.
    func range(topic: String, partitionID: Int32) async throws(BrokerWebError) -> OffsetRange {
        do {
            return try await broker.offsetRange(topic: topic, partitionID: partitionID)
        } catch {
            throw BrokerWebError(error)
        }
    }

    /// The offset of the first message stored at or after `time` (ms since the epoch) in each of
    /// `partitions`, in their order: where `admin_set_offset_by_time` moves a group.
    func offsets(at time: Int64, of partitions: [PartitionOffsets]) async throws(BrokerWebError) -> [Int64] {
        var out: [Int64] = []
        for partition in partitions {
            do {
                out.append(
                    try await broker.offset(
                        topic: partition.topic,
                        partitionID: partition.partitionID,
                        atOrAfterTime: time
                    )
                )
            } catch {
                throw BrokerWebError(error)
            }
        }
        return out
    }
}
