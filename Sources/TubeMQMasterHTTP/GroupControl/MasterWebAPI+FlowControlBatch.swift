import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The batch forms of group resource control and of the old consume-group settings
/// (admin-api.md §5.4, §5.5): a JSON set of items, each read like the single call with the outer
/// parameters as defaults. Every item is validated before any is applied; the answer is one
/// per-record list, one record per group.
extension MasterWebAPI {
    static let flowControlBatchMethods: [MasterWebMethod] = [
        .modify("admin_batch_add_group_resctrl_info") { api, p throws(WebParameterError) in
            try await api.batchResourceControl(p, create: true)
        },
        .modify("admin_batch_update_group_resctrl_info") { api, p throws(WebParameterError) in
            try await api.batchResourceControl(p, create: false)
        },
        .modify("admin_bath_add_consume_group_setting") { api, p throws(WebParameterError) in
            try await api.batch(p, .groupNameJSONSet) { item throws(WebParameterError) in
                let oldRate = try item.int32(.oldAllowedBrokerClientRate, range: 0...Int64(Int32.max))
                let newRate = try item.int32(.allowedBrokerClientRate, range: 0...Int64(Int32.max))
                return ResourceControlChange(
                    groups: try item.list(.groupName, required: true),
                    patch: GroupResourceControlPatch(
                        resCheckEnable: try item.bool(.enableBind),
                        allowedBrokerClientRate: oldRate ?? newRate
                    ),
                    user: try item.creator()
                )
            } apply: { change in
                await api.apply(change, create: nil)
            }
        },
    ]

    /// One validated item of a batch: the groups it names, what it sets, and who asks.
    struct ResourceControlChange: Sendable {
        var groups: [String]
        var patch: GroupResourceControlPatch
        var user: String
    }

    /// Adds (`create`) or updates the resource control of every `groupResCtrlJsonSet` item.
    func batchResourceControl(_ p: WebParameters, create: Bool) async throws(WebParameterError) -> JSONObject {
        let structured: Set = [WebField.flowCtrlInfo.long, WebField.flowCtrlInfo.short]
        return try await batch(p, .groupResCtrlJSONSet, structured: structured) { item throws(WebParameterError) in
            ResourceControlChange(
                groups: try item.list(.groupName, required: true),
                patch: GroupResourceControlPatch(
                    resCheckEnable: try item.bool(.resCheckEnable),
                    allowedBrokerClientRate: try item.int32(.allowedBrokerClientRate, range: 0...Int64(Int32.max)),
                    qryPriorityID: try item.int32(.qryPriorityID, range: 101...303),
                    flowControlEnabled: try item.bool(.flowCtrlEnable),
                    rules: try Self.rules(item)
                ),
                user: try create ? item.creator() : item.modifier()
            )
        } apply: { change in
            await apply(change, create: create)
        }
    }

    /// Applies a validated change to each of its groups; `create` `nil` adds or updates each group.
    func apply(_ change: ResourceControlChange, create: Bool?) async -> [JSONObject] {
        var results: [JSONObject] = []
        for group in change.groups {
            let exists = await master.groupSettings(named: group)?.resourceControl != nil
            let failure = await MasterError.capture { () throws(MasterError) in
                _ = try await master.setGroupResourceControl(
                    group: group,
                    change.patch,
                    create: create ?? !exists,
                    by: change.user
                )
            }
            results.append(RecordResult.group(group, failure))
        }
        return results
    }
}
