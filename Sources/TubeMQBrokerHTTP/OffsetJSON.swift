import TubeMQBroker
import TubeMQWebSupport

/// The offset objects of the broker webapi.
enum OffsetJSON {
    /// One partition: `partitionId`, `curOffset` (committed, -1 when none), `flightOffset` (end of
    /// the batch in flight, -1 when none), `curDataOffset`, `offsetLag`, `dataLag`, `offsetMax`,
    /// `dataMax`. This store has no separate data-file offsets: the data fields are -1.
    static func partition(_ offsets: PartitionOffsets) -> JSONObject {
        let current = offsets.committed ?? -1
        // From the oldest offset kept at least: messages aged out are not there to read, and a group
        // that reads again moves past them (the lag counted them, 20,000 for 70 stored).
        let lag = offsets.range.max - max(offsets.committed ?? offsets.range.min, offsets.range.min)
        return [
            "partitionId": .int(offsets.partitionID), "curOffset": .number(current),
            "flightOffset": .number(offsets.tentative ?? -1), "curDataOffset": -1, "offsetLag": .number(max(0, lag)),
            "dataLag": -1, "offsetMax": .number(offsets.range.max), "dataMax": -1,
        ]
    }

    /// `[{topicName, offsets:[…], partCount}]`, one item per topic in order.
    static func topics(_ offsets: [PartitionOffsets]) -> [JSON] {
        var order: [String] = []
        var byTopic: [String: [PartitionOffsets]] = [:]
        for item in offsets {
            if byTopic[item.topic] == nil { order.append(item.topic) }
            byTopic[item.topic, default: []].append(item)
        }
        return order.map { topic in
            let partitions = byTopic[topic] ?? []
            return .object([
                "topicName": .string(topic), "offsets": .array(partitions.map { .object(partition($0)) }),
                "partCount": .int(partitions.count),
            ])
        }
    }
}
