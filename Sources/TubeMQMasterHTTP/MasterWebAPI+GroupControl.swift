import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Which groups may consume which topics (admin-api.md §5.5): the old blacklist methods and group
/// consume control. The master keeps only the forbidden (group, topic) pairs, so consume control
/// records that allow consumption are not listed, and filter conditions cannot be set here.
extension MasterWebAPI {
    /// The reason the old blacklist API records.
    static let blacklistReason = "Old API add blacklist, disable consume"

    static let groupControlMethods: [MasterWebMethod] = [
        .modify("admin_add_black_consumergroup_info") { api, p throws(WebParameterError) in
            let groups = try p.list(.groupName, required: true)
            let topics = try await api.deployedTopics(p)
            let user = try p.creator()
            let items = await api.setConsume(
                groups: groups,
                topics: topics,
                enabled: false,
                reason: blacklistReason,
                user: user
            )
            return Envelope.success(objects: items)
        },
        .modify("admin_delete_black_consumergroup_info") { api, p throws(WebParameterError) in
            try await api.allowConsume(p, required: .topicName)
        },
        .query("admin_query_black_consumer_group_info") { api, p throws(WebParameterError) in
            let items = try await api.forbidden(p).map { pair -> JSONObject in
                [
                    "groupName": .string(pair.group), "topicName": .string(pair.topic), "reason": .string(pair.reason),
                    "dataVersionId": 0, "createUser": .string(pair.stamp.createdBy),
                    "createDate": .string(WebDate.format(pair.stamp.createdAt)),
                    "modifyUser": .string(pair.stamp.modifiedBy),
                    "modifyDate": .string(WebDate.format(pair.stamp.modifiedAt)),
                ]
            }
            return Envelope.success(objects: items)
        },
        .query("admin_query_group_csmctrl_info") { api, p throws(WebParameterError) in
            let wanted = try p.bool(.consumeEnable)
            let filtered = try p.bool(.filterEnable)
            let items = try await api.forbidden(p).compactMap { pair -> JSONObject? in
                guard wanted != true, filtered != true else { return nil }
                var item: JSONObject = [
                    "topicName": .string(pair.topic), "groupName": .string(pair.group), "consumeEnable": false,
                    "disableCsmRsn": .string(pair.reason), "filterEnable": false, "filterConds": "",
                ]
                item.append(contentsOf: RecordJSON.base(pair.stamp))
                return item
            }
            return Envelope.success(objects: items)
        },
        .query("admin_query_booked_csmctrl_groups") { api, p throws(WebParameterError) in
            // The names of the groups that have consume-control records (filters as the query above), once each.
            var seen = Set<String>()
            let names = try await api.forbidden(p).compactMap { pair -> JSON? in
                seen.insert(pair.group).inserted ? .string(pair.group) : nil
            }
            return Envelope.success(items: names)
        },
        .modify("admin_add_group_csmctrl_info") { api, p throws(WebParameterError) in
            try await api.changeConsumeControl(p, user: try p.creator())
        },
        .modify("admin_update_group_csmctrl_info") { api, p throws(WebParameterError) in
            try await api.changeConsumeControl(p, user: try p.modifier())
        },
        .modify("admin_delete_group_csmctrl_info") { api, p throws(WebParameterError) in
            try await api.allowConsume(p, required: .groupName)
        },
    ]

    /// One forbidden (group, topic) pair.
    struct ForbiddenPair {
        var group: String
        var topic: String
        var reason: String
        var stamp: RecordStamp
    }

    /// The forbidden pairs matching the `groupName` and `topicName` filters.
    func forbidden(_ p: WebParameters) async throws(WebParameterError) -> [ForbiddenPair] {
        let groups = Set(try p.list(.groupName))
        let topics = Set(try p.list(.topicName))
        let creator = try p.string(.createUser)
        let modifier = try p.string(.modifyUser)
        var out: [ForbiddenPair] = []
        for settings in await master.groupSettings() where groups.isEmpty || groups.contains(settings.name) {
            guard creator.map({ $0 == settings.stamp.createdBy }) ?? true,
                modifier.map({ $0 == settings.stamp.modifiedBy }) ?? true
            else { continue }
            for (topic, reason) in settings.consumeDisabled.sorted(by: { $0.key < $1.key })
            where topics.isEmpty || topics.contains(topic) {
                out.append(ForbiddenPair(group: settings.name, topic: topic, reason: reason, stamp: settings.stamp))
            }
        }
        return out
    }

    /// The required `topicName` list, every topic deployed somewhere.
    func deployedTopics(_ p: WebParameters) async throws(WebParameterError) -> [String] {
        let topics = try p.list(.topicName, required: true)
        for topic in topics where await master.topic(named: topic)?.deployments.isEmpty ?? true {
            throw WebParameterError("Parameter topicName value \(topic) is not a deployed topic!")
        }
        return topics
    }

    /// Add or update consume control: allow or forbid every (group, topic) pair.
    func changeConsumeControl(_ p: WebParameters, user: String) async throws(WebParameterError) -> JSONObject {
        let topics = try await deployedTopics(p)
        let groups = try p.list(.groupName, required: true)
        let enabled = try p.bool(.consumeEnable) ?? true
        let reason = try p.string(.disableReason) ?? ""
        _ = try p.list(.filterConds)
        guard try p.bool(.filterEnable) != true else {
            throw WebParameterError("Parameter filterEnable: consume filters are not supported by this master!")
        }
        return Envelope.success(
            objects: await setConsume(groups: groups, topics: topics, enabled: enabled, reason: reason, user: user)
        )
    }

    /// Allows again what was forbidden (the blacklist and consume control deletes): the listed
    /// topics to the listed groups; with no groups, to every group that was refused them; with no
    /// topics, every topic refused to the listed groups. `required` names the list that must be given.
    func allowConsume(_ p: WebParameters, required: WebField) async throws(WebParameterError) -> JSONObject {
        let topics = try p.list(.topicName, required: required == .topicName)
        let groups = try p.list(.groupName, required: required == .groupName)
        let user = try p.modifier()
        var items: [JSONObject] = []
        for settings in await master.groupSettings() where groups.isEmpty || groups.contains(settings.name) {
            let refused = settings.consumeDisabled.keys.sorted()
            let allowed = topics.isEmpty ? refused : topics.filter { groups.isEmpty ? refused.contains($0) : true }
            items += await setConsume(groups: [settings.name], topics: allowed, enabled: true, reason: "", user: user)
        }
        return Envelope.success(objects: items)
    }

    /// Allows or forbids every pair; answers the per-record list (group and topic family).
    func setConsume(
        groups: [String],
        topics: [String],
        enabled: Bool,
        reason: String,
        user: String
    ) async
        -> [JSONObject]
    {
        var items: [JSONObject] = []
        for group in groups {
            for topic in topics {
                let failure = await MasterError.capture { () throws(MasterError) in
                    _ = try await master.setGroupConsume(
                        group: group,
                        topic: topic,
                        enabled: enabled,
                        reason: reason,
                        by: user
                    )
                }
                items.append(RecordResult.groupTopic(group: group, topic: topic, failure))
            }
        }
        return items
    }
}
