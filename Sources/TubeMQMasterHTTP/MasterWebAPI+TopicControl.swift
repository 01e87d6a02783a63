import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Topic control methods (admin-api.md §5.2): a topic's maximum message size and auth flag.
extension MasterWebAPI {
    static let topicControlMethods: [MasterWebMethod] = [
        .query("admin_query_topic_control_info") { api, p throws(WebParameterError) in
            let names = Set(try p.list(.topicName))
            let topics = await api.master.topics().filter { names.isEmpty || names.contains($0.name) }
            return Envelope.success(objects: topics.map(topicControl))
        },
        .modify("admin_add_topic_control_info") { api, p throws(WebParameterError) in
            let user = try p.creator()
            return try await api.setTopicControl(p, user: user, creating: true)
        },
        .modify("admin_update_topic_control_info") { api, p throws(WebParameterError) in
            let user = try p.modifier()
            return try await api.setTopicControl(p, user: user, creating: false)
        },
        .modify("admin_delete_topic_control_info") { api, p throws(WebParameterError) in
            let topics = try p.list(.topicName, required: true)
            let user = try p.modifier()
            var items: [JSONObject] = []
            for topic in topics {
                let failure = await MasterError.capture { () throws(MasterError) in
                    try await api.master.deleteTopicControl(topic: topic, by: user)
                }
                items.append(RecordResult.topicControl(topic: topic, failure))
            }
            return Envelope.success(objects: items)
        },
    ]

    /// Creates (`creating`, 402 when it exists) or updates (401 when missing) the control record
    /// of every listed topic.
    func setTopicControl(
        _ p: WebParameters,
        user: String,
        creating: Bool
    ) async throws(WebParameterError)
        -> JSONObject
    {
        let topics = try p.list(.topicName, required: true)
        _ = try p.int64(.topicNameID, range: 0...Int64.max)
        let enableAuth = try p.bool(.enableAuthControl)
        let maxSize = try p.int32(.maxMsgSizeInMB, range: 1...20)
        var items: [JSONObject] = []
        for topic in topics {
            let failure = await MasterError.capture { () throws(MasterError) in
                let exists = await master.topic(named: topic) != nil
                if creating, exists {
                    throw MasterError(code: .recordExists, message: "Topic \(topic)'s control record already exists!")
                }
                if !creating, !exists {
                    throw MasterError(code: .recordNotFound, message: "Topic \(topic) does not exist!")
                }
                _ = try await master.setTopicControl(
                    topic: topic,
                    maxMsgSizeInMB: maxSize,
                    enableAuthControl: enableAuth ?? (creating ? false : nil),
                    by: user
                )
            }
            // The same flag as admin_set_topic_authorize_control's (one flag in TubeMQ).
            if failure == nil, let enableAuth, let security {
                try? await security.grants.update(topic) { $0.isEnabled = enableAuth }
            }
            items.append(RecordResult.topicControl(topic: topic, failure))
        }
        return Envelope.success(objects: items)
    }

    /// `topicName`, `topicNameId`, `enableAuthControl`, `maxMsgSizeInMB`, then the base fields.
    static func topicControl(_ topic: Topic) -> JSONObject {
        var item: JSONObject = [
            "topicName": .string(topic.name), "topicNameId": 0, "enableAuthControl": .bool(topic.enableAuthControl),
            "maxMsgSizeInMB": .int(topic.maxMsgSizeInMB),
        ]
        item.append(contentsOf: RecordJSON.base(topic.stamp))
        return item
    }
}
