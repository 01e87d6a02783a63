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
            var additions: [BrokerAddition] = []
            for item in try p.jsonSet(.brokerJSONSet) { additions.append(try BrokerAddition(item)) }
            var results: [JSONObject] = []
            for addition in additions { results.append(await api.add(addition)) }
            return Envelope.success(objects: results)
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
                var updates: [(ids: [Int32], patch: BrokerPatch, user: String)] = []
                for item in try p.jsonSet(.brokerJSONSet) {
                    updates.append(
                        (try item.int32List(.brokerID, required: true), try BrokerPatch(item), try item.modifier())
                    )
                }
                var results: [JSONObject] = []
                for update in updates {
                    for id in update.ids {
                        let ip = await api.master.broker(id: id)?.config.host ?? ""
                        let failure = await MasterError.capture { () throws(MasterError) in
                            try await Self.update(api.master, id: id, update.patch, by: update.user)
                        }
                        results.append(RecordResult.broker(id: id, ip: ip, failure))
                    }
                }
                return Envelope.success(objects: results)
            },
            .modify("admin_bath_add_new_topic_record", addTopics),
            .modify("admin_bath_add_topic_deploy_info", addTopics),
            .modify("admin_batch_update_topic_deploy_info") { api, p throws(WebParameterError) in
                try await api.batchDeployments(p, adding: false)
            },
        ]
    }()

    /// Adds or updates the deployments of every `topicJsonSet` item.
    func batchDeployments(_ p: WebParameters, adding: Bool) async throws(WebParameterError) -> JSONObject {
        var changes: [DeploymentChange] = []
        for item in try p.jsonSet(.topicJSONSet) { changes.append(try DeploymentChange(item, adding: adding)) }
        var results: [JSONObject] = []
        for change in changes { results += await apply(change) }
        return Envelope.success(objects: results)
    }
}
