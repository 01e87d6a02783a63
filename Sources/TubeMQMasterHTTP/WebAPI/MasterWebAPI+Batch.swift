import TubeMQMaster
import TubeMQMasterState
import TubeMQWebSupport

/// The batch forms of broker and topic changes (admin-api.md §5.1, §5.2): a JSON set of items,
/// each read like a single call with the outer parameters as defaults. Every item is validated
/// before any is applied; the answer is one per-record list.
extension MasterWebAPI {
    static let batchMethods: [MasterWebMethod] = {
        let addBrokers: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api,
            p throws(WebParameterError) in
            try await api.batch(p, .brokerJSONSet) { item throws(WebParameterError) in
                try BrokerAddition(item)
            } apply: { addition in
                [await api.add(addition)]
            }
        }
        let addTopics: @Sendable (MasterWebAPI, WebParameters) async throws(WebParameterError) -> JSONObject = {
            api,
            p throws(WebParameterError) in
            try await api.batchDeployments(p, adding: true)
        }
        return [
            .modify("admin_batch_add_broker_configure", addBrokers),
            .modify("admin_bath_add_broker_configure", addBrokers),
            .modify("admin_batch_update_broker_configure") { api, p throws(WebParameterError) in
                try await api.batch(p, .brokerJSONSet) { item throws(WebParameterError) in
                    (
                        ids: try item.int32List(.brokerID, required: true), patch: try BrokerPatch(item),
                        user: try item.modifier()
                    )
                } apply: { update in
                    var results: [JSONObject] = []
                    for id in update.ids {
                        let ip = await api.master.broker(id: id)?.config.host ?? ""
                        let failure = await MasterError.capture { () throws(MasterError) in
                            try await Self.update(api.master, id: id, update.patch, by: update.user)
                        }
                        results.append(RecordResult.broker(id: id, ip: ip, failure))
                    }
                    return results
                }
            },
            .modify("admin_bath_add_new_topic_record", addTopics),
            .modify("admin_bath_add_topic_deploy_info", addTopics),
            .modify("admin_batch_update_topic_deploy_info") { api, p throws(WebParameterError) in
                try await api.batchDeployments(p, adding: false)
            },
        ]
    }()

    /// A batch method: reads every item of the JSON set `field` with `read` (each item like a single
    /// call, the outer parameters as its defaults) and, only once every item is valid, applies them in
    /// order with `apply`; answers one per-record list. Keys named in `structured` may hold JSON
    /// arrays or objects (``TubeMQWebSupport/WebParameters/jsonSet(_:structured:)``).
    ///
    /// - Throws: ``TubeMQWebSupport/WebParameterError`` when the set is absent, empty or malformed, or
    ///   for the first invalid item; nothing is applied then.
    func batch<Change>(
        _ p: WebParameters,
        _ field: WebField,
        structured: Set<String> = [],
        read: (WebParameters) async throws(WebParameterError) -> Change,
        apply: (Change) async -> [JSONObject]
    ) async throws(WebParameterError) -> JSONObject {
        var changes: [Change] = []
        for item in try p.jsonSet(field, structured: structured) { changes.append(try await read(item)) }
        var results: [JSONObject] = []
        for change in changes { results += await apply(change) }
        return Envelope.success(objects: results)
    }

    /// Adds or updates the deployments of every `topicJsonSet` item.
    func batchDeployments(_ p: WebParameters, adding: Bool) async throws(WebParameterError) -> JSONObject {
        try await batch(p, .topicJSONSet) { item throws(WebParameterError) in
            try DeploymentChange(item, adding: adding)
        } apply: { change in
            await apply(change)
        }
    }
}
