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
            Envelope.success(objects: await api.apply(try TopicControlChange(p, creating: true)))
        },
        .modify("admin_update_topic_control_info") { api, p throws(WebParameterError) in
            Envelope.success(objects: await api.apply(try TopicControlChange(p, creating: false)))
        },
        .modify("admin_batch_add_topic_control_info") { api, p throws(WebParameterError) in
            try await api.batchTopicControl(p, creating: true)
        },
        .modify("admin_batch_update_topic_control_info") { api, p throws(WebParameterError) in
            try await api.batchTopicControl(p, creating: false)
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

    /// Creates or updates the control records of every item of the batch's JSON set, each read like
    /// the single call (``TopicControlChange``) with the outer parameters as defaults.
    ///
    /// The set is `topicCtrlJsonSet` (alias `tCtrlSet`), as TubeMQ's master and its metadata tools
    /// send it; a request without it may give `topicJsonSet` (alias `topicSet`), the set the other
    /// topic batch methods take, which admin scripts written against those tend to use.
    func batchTopicControl(_ p: WebParameters, creating: Bool) async throws(WebParameterError) -> JSONObject {
        let field: WebField = p.has(.topicJSONSet) && !p.has(.topicCtrlJSONSet) ? .topicJSONSet : .topicCtrlJSONSet
        return try await batch(p, field) { item throws(WebParameterError) in
            try TopicControlChange(item, creating: creating)
        } apply: { change in
            await apply(change)
        }
    }

    /// Creates (`creating`, 402 when it exists) or updates (401 when missing) the control record
    /// of every topic of a validated change; answers the per-record items (topic control family).
    func apply(_ change: TopicControlChange) async -> [JSONObject] {
        var items: [JSONObject] = []
        for topic in change.topics {
            let failure = await MasterError.capture { () throws(MasterError) in
                let exists = await master.topic(named: topic) != nil
                if change.creating, exists {
                    throw MasterError(code: .recordExists, message: "Topic \(topic)'s control record already exists!")
                }
                if !change.creating, !exists {
                    throw MasterError(code: .recordNotFound, message: "Topic \(topic) does not exist!")
                }
                _ = try await master.setTopicControl(
                    topic: topic,
                    maxMsgSizeInMB: change.maxMsgSizeInMB,
                    enableAuthControl: change.enableAuthControl ?? (change.creating ? false : nil),
                    by: change.user
                )
            }
            // The same flag as admin_set_topic_authorize_control's (one flag in TubeMQ).
            if failure == nil, let enableAuth = change.enableAuthControl, let security {
                try? await security.grants.update(topic) { $0.isEnabled = enableAuth }
            }
            items.append(RecordResult.topicControl(topic: topic, failure))
        }
        return items
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

/// What a topic control add or update (or one item of its batch form) asks for, validated: the
/// `topicName` list, `maxMsgSizeInMB` (1…20) and `enableAuthControl` when given (`topicNameId` is
/// checked, ≥ 0, and not kept), and the operator.
struct TopicControlChange: Sendable {
    var creating: Bool
    var topics: [String]
    var maxMsgSizeInMB: Int32?
    var enableAuthControl: Bool?
    var user: String

    init(_ p: WebParameters, creating: Bool) throws(WebParameterError) {
        self.creating = creating
        user = creating ? try p.creator() : try p.modifier()
        topics = try p.list(.topicName, required: true)
        _ = try p.int64(.topicNameID, range: 0...Int64.max)
        enableAuthControl = try p.bool(.enableAuthControl)
        maxMsgSizeInMB = try p.int32(.maxMsgSizeInMB, range: 1...20)
    }
}
