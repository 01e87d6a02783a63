import TubeMQBroker
import TubeMQWebSupport

/// Offset moves: to a given offset, to the latest, to a time; and removal.
extension BrokerWebAPI {
    static let offsetResetMethods: [BrokerWebMethod] = [
        BrokerWebMethod("admin_manual_set_current_offset") { api, p throws(BrokerWebError) in
            try await api.manualSetCurrentOffset(p)
        },
        BrokerWebMethod("admin_set_offset") { api, p throws(BrokerWebError) in try await api.setOffset(p) },
        BrokerWebMethod("admin_set_offset_by_time") { api, p throws(BrokerWebError) in try await api.setOffsetByTime(p)
        },
        BrokerWebMethod("admin_rmv_offset") { api, p throws(BrokerWebError) in try await api.removeOffset(p) },
        BrokerWebMethod("admin_clone_offset") { api, p throws(BrokerWebError) in try await api.cloneOffset(p) },
    ]

    /// `admin_clone_offset`: the committed offsets of `sourceGroupName` on this broker (in the listed
    /// topics, or in every topic it has offsets or partitions in) become those of each target group.
    func cloneOffset(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let source: String
        let targets: [String]
        let topics: [String]
        do throws(WebParameterError) {
            source = try p.requiredString(.sourceGroupName)
            topics = try p.list(.topicName)
            targets = try p.list(.targetGroupName, required: true)
            _ = try p.requiredString(.modifyUser)
        } catch {
            throw BrokerWebError(error)
        }
        guard await broker.bookedGroups().contains(source) else {
            throw BrokerWebError("Parameter sourceGroupName: \(source) has not been registered on this Broker!")
        }
        let offsets = await broker.groupOffsets(group: source, topics: topics)
        for target in targets where target != source {
            for partition in offsets {
                guard let committed = partition.committed else { continue }
                try await reset(
                    group: target,
                    topic: partition.topic,
                    partitionID: partition.partitionID,
                    to: committed
                )
            }
        }
        return BrokerEnvelope.ok
    }

    /// `admin_manual_set_current_offset`: one partition of one group to a given offset.
    func manualSetCurrentOffset(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let topic: String
        let group: String
        let partition: Int32
        let offset: Int64
        do throws(WebParameterError) {
            _ = try p.requiredString(.modifyUser)
            topic = try p.requiredString(.topicName)
            group = try p.requiredString(.groupName)
            partition = try p.int32(.partitionID, required: true, range: 0...Int64(Int32.max)) ?? 0
            offset = try p.int64(.manualOffset, required: true, range: 0...Int64.max) ?? 0
        } catch {
            throw BrokerWebError(error)
        }
        try await reset(group: group, topic: topic, partitionID: partition, to: offset)
        return BrokerEnvelope.ok
    }

    /// `admin_set_offset`: with `manualSet=true`, the partitions of `offsetJsonInfo` on this broker
    /// to the given offsets (clamped into the stored range); otherwise every partition of the
    /// listed topics to the latest offset.
    func setOffset(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let groups: [String]
        let manual: Bool
        var topics: [String] = []
        do throws(WebParameterError) {
            _ = try p.requiredString(.modifyUser)
            groups = try p.list(.groupName, required: true)
            manual = try p.requiredBool(.manualSet)
            if !manual { topics = try p.list(.topicName, required: true) }
        } catch {
            throw BrokerWebError(error)
        }
        if manual {
            let wanted = try manualOffsets(p)
            for group in groups {
                for (topic, partition, offset) in wanted {
                    let range = try await range(topic: topic, partitionID: partition)
                    try await reset(
                        group: group,
                        topic: topic,
                        partitionID: partition,
                        to: min(max(offset, range.min), range.max)
                    )
                }
            }
        } else {
            for group in groups {
                for partition in await broker.groupOffsets(group: group, topics: topics) {
                    try await reset(
                        group: group,
                        topic: partition.topic,
                        partitionID: partition.partitionID,
                        to: partition.range.max
                    )
                }
            }
        }
        return BrokerEnvelope.ok
    }

    /// `admin_set_offset_by_time`: every partition of the group (of the listed topics, or of every
    /// topic it consumes here) to the first message stored at or after `recordTime`.
    func setOffsetByTime(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let group: String
        let time: Int64
        let topics: [String]
        do throws(WebParameterError) {
            _ = try p.requiredString(.modifyUser)
            group = try p.requiredString(.groupName)
            time = try p.date(.recordTime, required: true) ?? 0
            if let end = try p.date(.endTime), end < time {
                throw WebParameterError("Parameter endTime must be >= recordTime!")
            }
            _ = try p.int32(.maxRetryCount, range: 1...100)
            topics = try p.list(.topicName)
        } catch {
            throw BrokerWebError(error)
        }
        let before = await broker.groupOffsets(group: group, topics: topics)
        guard !before.isEmpty else { throw BrokerWebError("Not found history offset value!") }
        for (partition, offset) in zip(before, try await offsets(at: time, of: before)) {
            try await reset(group: group, topic: partition.topic, partitionID: partition.partitionID, to: offset)
        }
        let after = await broker.groupOffsets(group: group, topics: before.map(\.topic))
        let item: JSONObject = [
            "groupName": .string(group), "before": .array(OffsetJSON.topics(before)),
            "after": .array(OffsetJSON.topics(after)),
        ]
        return Envelope.success(objects: [item])
    }

    /// `admin_rmv_offset`: forgets every offset of the listed groups on this broker.
    func removeOffset(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let groups: [String]
        let topics: [String]
        do throws(WebParameterError) {
            _ = try p.requiredString(.modifyUser)
            _ = try p.bool(.onlyMemory)
            groups = try p.list(.groupName, required: true)
            topics = try p.list(.topicName)
        } catch {
            throw BrokerWebError(error)
        }
        guard topics.isEmpty else {
            throw BrokerWebError("removing the offsets of single topics is not supported, remove the whole group")
        }
        for group in groups {
            do {
                try await broker.removeOffsets(group: group)
            } catch {
                throw BrokerWebError(error)
            }
        }
        return Envelope.success()
    }

    func reset(group: String, topic: String, partitionID: Int32, to offset: Int64) async throws(BrokerWebError) {
        do {
            try await broker.resetOffset(group: group, topic: topic, partitionID: partitionID, to: offset)
        } catch {
            throw BrokerWebError(error)
        }
    }

    /// The entries of `offsetJsonInfo` (`{"<brokerId>:<topic>:<partitionId>": offset}`) that name
    /// this broker; the value is URL-decoded once more before it is parsed (admin-api.md §4 rule 7).
    func manualOffsets(_ p: WebParameters) throws(BrokerWebError) -> [(String, Int32, Int64)] {
        guard let raw = p.value(.offsetJSONInfo) else { throw BrokerWebError(.missing(.offsetJSONInfo)) }
        let text = FormDecoding.decode(Substring(raw))
        guard let object = (try? JSON.parse(text))?.object else {
            throw BrokerWebError("Parameter offsetJsonInfo must be a JSON object!")
        }
        var out: [(String, Int32, Int64)] = []
        for field in object.fields {
            let key = field.key
            let parts = key.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, let brokerID = Int32(parts[0]), let partition = Int32(parts[2]),
                let offset = field.value.numberValue ?? field.value.stringValue.flatMap({ Int64($0) })
            else {
                throw BrokerWebError("Parameter offsetJsonInfo has an illegal item \(key)!")
            }
            guard brokerID == broker.configuration.brokerID else { continue }
            out.append((String(parts[1]), partition, offset))
        }
        return out
    }
}
