import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The batch forms of group consume control and of the old blacklist (admin-api.md §5.5): a JSON
/// set of items, each read like the single call with the outer parameters (`createUser`,
/// `modifyUser`, …) as defaults. Every item is validated before any is applied; the answer is one
/// per-record list, one record per (group, topic) pair.
///
/// TubeMQ reads one `groupName` and one `topicName` per item; an item here may list several of
/// each, as the single call may, and stands for every pair of them.
extension MasterWebAPI {
    /// The reason the old blacklist API's batch add records (TubeMQ's text).
    static let batchBlacklistReason = "Old API batch set BlackList"

    static let groupControlBatchMethods: [MasterWebMethod] = [
        .modify("admin_batch_add_group_csmctrl_info") { api, p throws(WebParameterError) in
            try await api.batchConsumeControl(p, .groupCsmJSONSet, adding: true)
        },
        .modify("admin_batch_update_group_csmctrl_info") { api, p throws(WebParameterError) in
            try await api.batchConsumeControl(p, .groupCsmJSONSet, adding: false)
        },
        .modify("admin_batch_delete_group_csmctrl_info") { api, p throws(WebParameterError) in
            try await api.batchConsumeRelease(p, .groupCsmJSONSet, unfiltering: true)
        },
        .modify("admin_bath_add_black_consumergroup_info") { api, p throws(WebParameterError) in
            try await api.batchConsumeControl(
                p,
                .groupNameJSONSet,
                adding: true,
                form: .blacklist(reason: batchBlacklistReason)
            )
        },
        .modify("admin_batch_delete_black_consumergroup_info") { api, p throws(WebParameterError) in
            try await api.batchConsumeRelease(p, .groupNameJSONSet, unfiltering: false)
        },
    ]

    /// Adds or updates the consume control of every item of the JSON set `field`, each read in
    /// `form` (``consumeControlChange(_:adding:form:)``).
    func batchConsumeControl(
        _ p: WebParameters,
        _ field: WebField,
        adding: Bool,
        form: ConsumeControlChange.Form = .consumeControl
    ) async throws(WebParameterError) -> JSONObject {
        try await batch(p, field) { item throws(WebParameterError) in
            try await consumeControlChange(item, adding: adding, form: form)
        } apply: { change in
            await apply(change)
        }
    }

    /// Allows consumption again for every item of the JSON set `field`, lifting the filter restriction
    /// too when `unfiltering` (``consumeRelease(_:required:allowing:unfiltering:)``). Each item must
    /// name both its groups and its topics: a malformed item refuses the batch rather than release
    /// every group of a topic, or every topic of a group.
    func batchConsumeRelease(
        _ p: WebParameters,
        _ field: WebField,
        unfiltering: Bool
    ) async throws(WebParameterError) -> JSONObject {
        try await batch(p, field) { item throws(WebParameterError) in
            try consumeRelease(item, required: [.groupName, .topicName], allowing: true, unfiltering: unfiltering)
        } apply: { release in
            await apply(release)
        }
    }
}
