import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// Which groups may consume which topics (admin-api.md §5.5): the old blacklist methods and group
/// consume control. The master keeps the forbidden (group, topic) pairs and the pairs restricted to
/// filtered consumption; consume control records that allow consumption without filters are not kept,
/// so they are not listed. The writes read their parameters into a ``ConsumeControlChange`` or a
/// ``ConsumeRelease``, as their batch forms (`MasterWebAPI+GroupControlBatch.swift`) and the old
/// filter-condition methods (`MasterWebAPI+FilterConditions.swift`) do.
extension MasterWebAPI {
    /// The reason the old blacklist API records.
    static let blacklistReason = "Old API add blacklist, disable consume"

    static let groupControlMethods: [MasterWebMethod] = [
        .modify("admin_add_black_consumergroup_info") { api, p throws(WebParameterError) in
            let change = try await api.consumeControlChange(p, adding: true, form: .blacklist(reason: blacklistReason))
            return Envelope.success(objects: await api.apply(change))
        },
        .modify("admin_delete_black_consumergroup_info") { api, p throws(WebParameterError) in
            let release = try api.consumeRelease(p, required: [.topicName], allowing: true, unfiltering: false)
            return Envelope.success(objects: await api.apply(release))
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
            return try await api.controlItems(p) { record in
                (wanted.map { $0 == (record.disabledReason == nil) } ?? true)
                    && (filtered.map { $0 == (record.allowedFilters != nil) } ?? true)
            } keys: { record in
                [
                    "topicName": .string(record.topic), "groupName": .string(record.group),
                    "consumeEnable": .bool(record.disabledReason == nil),
                    "disableCsmRsn": .string(record.disabledReason ?? ""),
                    "filterEnable": .bool(record.allowedFilters != nil), "filterConds": .string(record.filterConds),
                ]
            }
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
            Envelope.success(objects: await api.apply(try await api.consumeControlChange(p, adding: true)))
        },
        .modify("admin_update_group_csmctrl_info") { api, p throws(WebParameterError) in
            Envelope.success(objects: await api.apply(try await api.consumeControlChange(p, adding: false)))
        },
        .modify("admin_delete_group_csmctrl_info") { api, p throws(WebParameterError) in
            let release = try api.consumeRelease(p, required: [.groupName], allowing: true, unfiltering: true)
            return Envelope.success(objects: await api.apply(release))
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

        /// The allowed filter items as `filterConds` shows them: sorted, comma-separated; `""` for none.
        var filterConds: String { (allowedFilters ?? []).sorted().joined(separator: ",") }
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

    /// The success list of the consume-control records that match the query's filters
    /// (``controlRecords(_:)``) and `matches`, each as `keys` followed by the base fields.
    func controlItems(
        _ p: WebParameters,
        matching matches: (ControlRecord) -> Bool,
        keys: (ControlRecord) -> JSONObject
    ) async throws(WebParameterError) -> JSONObject {
        let items = try await controlRecords(p).filter(matches).map { record in
            var item = keys(record)
            item.append(contentsOf: RecordJSON.base(record.stamp))
            return item
        }
        return Envelope.success(objects: items)
    }

    /// The required `topicName` list, every topic deployed somewhere.
    func deployedTopics(_ p: WebParameters) async throws(WebParameterError) -> [String] {
        let topics = try p.list(.topicName, required: true)
        for topic in topics where await master.topic(named: topic)?.deployments.isEmpty ?? true {
            throw WebParameterError("Parameter topicName value \(topic) is not a deployed topic!")
        }
        return topics
    }
}
