import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The old filter-condition methods (admin-api.md §5.5): in TubeMQ an older API over the group
/// consume-control records' `filterEnable` / `filterConds`, and so here over the same consume
/// filters (``TubeMQMasterState/GroupSettings/consumeFilters``) that `admin_*_group_csmctrl_info`
/// sets: what one API sets the other lists.
///
/// `condStatus` 2 restricts the (group, topic) pairs to filtered consumption with the allowed
/// `filterConds`; 0 and 1 lift the restriction (TubeMQ treats 1 as 0 too). An add without
/// `condStatus` lifts it; a modify without it leaves it, and `filterConds` alone then replaces the
/// items of pairs already restricted. `filterConds` with `condStatus` 0 or 1 is refused: TubeMQ
/// would store items it never applies. Consumption itself (`consumeEnable`, the blacklist) is left
/// as it is. The query lists every consume-control record (a forbidden pair without filters shows
/// `condStatus` 0), filtered by `groupName`, `topicName`, `condStatus`, `createUser`, `modifyUser`,
/// and `filterConds` (records allowing every item given), as TubeMQ's does.
///
/// Where this differs from TubeMQ, on purpose:
/// - the master keeps no record for a pair that is neither forbidden nor restricted, so a modify
///   of such a pair is applied like an add rather than refused with 401 (an add with `condStatus`
///   0, then a modify to 2, works as it does in TubeMQ);
/// - the per-record items carry `topicName` after `groupName`, as consume control's do (TubeMQ's
///   old handler lists `groupName` only);
/// - the batch items are read like the single calls, the outer parameters as defaults (TubeMQ reads
///   `condStatus` and `filterConds` from the outer request only).
extension MasterWebAPI {
    static let filterConditionMethods: [MasterWebMethod] = [
        .query("admin_query_group_filtercond_info") { api, p throws(WebParameterError) in
            let status = try p.int32(.condStatus, range: 0...2)
            let wanted = Set(try p.list(.filterConds))
            return try await api.controlItems(p) { record in
                (status.map { ($0 == 2) == (record.allowedFilters != nil) } ?? true)
                    && wanted.isSubset(of: record.allowedFilters ?? [])
            } keys: { record in
                [
                    "topicName": .string(record.topic), "groupName": .string(record.group),
                    "condStatus": .int(record.allowedFilters == nil ? 0 : 2),
                    "filterConds": .string(record.filterConds),
                ]
            }
        },
        .modify("admin_add_group_filtercond_info") { api, p throws(WebParameterError) in
            let change = try await api.consumeControlChange(p, adding: true, form: .filterConditions)
            return Envelope.success(objects: await api.apply(change))
        },
        .modify("admin_mod_group_filtercond_info") { api, p throws(WebParameterError) in
            let change = try await api.consumeControlChange(p, adding: false, form: .filterConditions)
            return Envelope.success(objects: await api.apply(change))
        },
        .modify("admin_bath_add_group_filtercond_info") { api, p throws(WebParameterError) in
            try await api.batchConsumeControl(p, .filterCondJSONSet, adding: true, form: .filterConditions)
        },
        .modify("admin_bath_mod_group_filtercond_info") { api, p throws(WebParameterError) in
            try await api.batchConsumeControl(p, .filterCondJSONSet, adding: false, form: .filterConditions)
        },
        .modify("admin_del_group_filtercond_info") { api, p throws(WebParameterError) in
            // TubeMQ: topicName required, groupName optional; only the filter restriction goes.
            let release = try api.consumeRelease(p, required: [.topicName], allowing: false, unfiltering: true)
            return Envelope.success(objects: await api.apply(release))
        },
    ]
}
