import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Which groups may consume which topics (admin-api.md §5.5): the old blacklist methods and group
/// consume control. The master keeps the forbidden (group, topic) pairs and the pairs restricted to
/// filtered consumption; consume control records that allow consumption without filters are not kept,
/// so they are not listed.
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
            let items = try await api.controlRecords(p).compactMap { record -> JSONObject? in
                let enabled = record.disabledReason == nil
                let filtering = record.allowedFilters != nil
                guard wanted.map({ $0 == enabled }) ?? true, filtered.map({ $0 == filtering }) ?? true else {
                    return nil
                }
                var item: JSONObject = [
                    "topicName": .string(record.topic), "groupName": .string(record.group),
                    "consumeEnable": .bool(enabled), "disableCsmRsn": .string(record.disabledReason ?? ""),
                    "filterEnable": .bool(filtering),
                    "filterConds": .string((record.allowedFilters ?? []).sorted().joined(separator: ",")),
                ]
                item.append(contentsOf: RecordJSON.base(record.stamp))
                return item
            }
            return Envelope.success(objects: items)
        },
        .query("admin_query_booked_csmctrl_groups") { api, p throws(WebParameterError) in
            // The names of the groups that have consume-control records (filters as the query above), once each.
            var seen = Set<String>()
            let names = try await api.controlRecords(p).compactMap { record -> JSON? in
                seen.insert(record.group).inserted ? .string(record.group) : nil
            }
            return Envelope.success(items: names)
        },
        .modify("admin_add_group_csmctrl_info") { api, p throws(WebParameterError) in
            try await api.changeConsumeControl(p, user: try p.creator(), adding: true)
        },
        .modify("admin_update_group_csmctrl_info") { api, p throws(WebParameterError) in
            try await api.changeConsumeControl(p, user: try p.modifier(), adding: false)
        },
        .modify("admin_delete_group_csmctrl_info") { api, p throws(WebParameterError) in
            try await api.allowConsume(p, required: .groupName, liftingFilters: true)
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
        try await controlRecords(p).compactMap { record in
            record.disabledReason.map {
                ForbiddenPair(group: record.group, topic: record.topic, reason: $0, stamp: record.stamp)
            }
        }
    }

    /// One consume-control record kept: a (group, topic) pair forbidden, restricted to filters, or both.
    struct ControlRecord {
        var group: String
        var topic: String
        /// Why consumption is forbidden; `nil` when it is allowed.
        var disabledReason: String?
        /// The filter items allowed; `nil` when consumption is not restricted to filters.
        var allowedFilters: Set<String>?
        var stamp: RecordStamp
    }

    /// The consume-control records matching the `groupName`, `topicName`, `createUser` and
    /// `modifyUser` filters, by group, then topic.
    func controlRecords(_ p: WebParameters) async throws(WebParameterError) -> [ControlRecord] {
        let groups = Set(try p.list(.groupName))
        let topics = Set(try p.list(.topicName))
        let creator = try p.string(.createUser)
        let modifier = try p.string(.modifyUser)
        var out: [ControlRecord] = []
        for settings in await master.groupSettings() where groups.isEmpty || groups.contains(settings.name) {
            guard creator.map({ $0 == settings.stamp.createdBy }) ?? true,
                modifier.map({ $0 == settings.stamp.modifiedBy }) ?? true
            else { continue }
            let controlled = Set(settings.consumeDisabled.keys).union(settings.consumeFilters.keys)
            for topic in controlled.sorted() where topics.isEmpty || topics.contains(topic) {
                out.append(
                    ControlRecord(
                        group: settings.name,
                        topic: topic,
                        disabledReason: settings.consumeDisabled[topic],
                        allowedFilters: settings.consumeFilters[topic],
                        stamp: settings.stamp
                    )
                )
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

    /// Add or update consume control: allow or forbid every (group, topic) pair, and restrict it to
    /// filtered consumption (`filterEnable=true`, with the allowed `filterConds`) or lift that. An add
    /// without `consumeEnable` allows and without `filterEnable` lifts the restriction (their
    /// defaults); an update leaves what it does not name as it is.
    func changeConsumeControl(
        _ p: WebParameters,
        user: String,
        adding: Bool
    ) async throws(WebParameterError) -> JSONObject {
        let topics = try await deployedTopics(p)
        let groups = try p.list(.groupName, required: true)
        let enabled = try p.bool(.consumeEnable) ?? (adding ? true : nil)
        let reason = try p.string(.disableReason) ?? ""
        let conditions = try p.list(.filterConds)
        var filtering = try p.bool(.filterEnable) ?? (adding ? false : nil)
        if filtering == false, !conditions.isEmpty {
            throw WebParameterError("Parameter filterConds given while filterEnable is false!")
        }
        if filtering == nil, !conditions.isEmpty {
            // An update naming new conditions only: they replace those of pairs already restricted;
            // a pair that is not would silently stay unrestricted, so that is refused.
            for group in groups {
                let restricted = await master.groupSettings(named: group)?.consumeFilters ?? [:]
                for topic in topics where restricted[topic] == nil {
                    throw WebParameterError(
                        "Parameter filterConds given without filterEnable=true, and group \(group) is not "
                            + "restricted to filtered consumption of topic \(topic)!"
                    )
                }
            }
            filtering = true
        }
        var items: [JSONObject]
        if let enabled {
            items = await setConsume(groups: groups, topics: topics, enabled: enabled, reason: reason, user: user)
        } else {
            items = groups.flatMap { group in topics.map { RecordResult.groupTopic(group: group, topic: $0, nil) } }
        }
        if let filtering {
            for (index, (group, topic)) in groups.flatMap({ group in topics.map { (group, $0) } }).enumerated()
            where items[index]["success"] == .bool(true) {
                let failure = await MasterError.capture { () throws(MasterError) in
                    _ = try await master.setGroupConsumeFilter(
                        group: group,
                        topic: topic,
                        allowed: filtering ? Set(conditions) : nil,
                        by: user
                    )
                }
                items[index] = RecordResult.groupTopic(group: group, topic: topic, failure)
            }
        }
        return Envelope.success(objects: items)
    }

    /// Allows again what was forbidden (the blacklist and consume control deletes): the listed
    /// topics to the listed groups; with no groups, to every group that was refused them; with no
    /// topics, every topic refused to the listed groups. `required` names the list that must be given.
    /// With `liftingFilters` (deleting consume-control records) the filter restrictions of those
    /// pairs go too.
    func allowConsume(
        _ p: WebParameters,
        required: WebField,
        liftingFilters: Bool = false
    ) async throws(WebParameterError) -> JSONObject {
        let topics = try p.list(.topicName, required: required == .topicName)
        let groups = try p.list(.groupName, required: required == .groupName)
        let user = try p.modifier()
        var items: [JSONObject] = []
        for settings in await master.groupSettings() where groups.isEmpty || groups.contains(settings.name) {
            var refused = Set(settings.consumeDisabled.keys)
            if liftingFilters { refused.formUnion(settings.consumeFilters.keys) }
            let allowed =
                topics.isEmpty ? refused.sorted() : topics.filter { groups.isEmpty ? refused.contains($0) : true }
            items += await setConsume(groups: [settings.name], topics: allowed, enabled: true, reason: "", user: user)
            guard liftingFilters else { continue }
            for topic in allowed where settings.consumeFilters[topic] != nil {
                _ = await MasterError.capture { () throws(MasterError) in
                    _ = try await master.setGroupConsumeFilter(
                        group: settings.name,
                        topic: topic,
                        allowed: nil,
                        by: user
                    )
                }
            }
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
