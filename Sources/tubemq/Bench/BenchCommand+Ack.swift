import ArgumentParser
import Foundation
import FoundationNetworking

extension BenchCommand {
    /// Sets the topic's acknowledgement policy through the master webapi (`admin_modify_topic_info`
    /// with our `ackPolicy` on every broker the topic is deployed on), then waits for the brokers
    /// to pick it up at their next heartbeat.
    func applyAcknowledgement(_ policy: String) async throws {
        let deployed = try await webCall(
            "admin_query_deployed_broker_ids",
            modify: false,
            [("topicName", topic)]
        )
        let brokers =
            ((deployed["data"] as? [[String: Any]])?.first?["brokerInfo"] as? [Any])?
            .compactMap { ($0 as? NSNumber)?.intValue } ?? []
        guard !brokers.isEmpty else { throw ValidationError("topic \(topic) is deployed on no broker") }
        _ = try await webCall(
            "admin_modify_topic_info",
            modify: true,
            [
                ("topicName", topic), ("brokerId", brokers.map(String.init).joined(separator: ",")),
                ("ackPolicy", policy),
            ]
        )
        print(
            "topic \(topic): ackPolicy=\(policy) on brokers \(brokers); waiting \(ackSettleSeconds) s for the brokers"
        )
        try await Task.sleep(for: .seconds(ackSettleSeconds))
    }

    private func webCall(_ method: String, modify: Bool, _ params: [(String, String)]) async throws -> [String: Any] {
        var query = [("type", modify ? "op_modify" : "op_query"), ("method", method)]
        if modify { query += [("confModAuthToken", token), ("modifyUser", "tubemq_bench")] }
        guard var components = URLComponents(string: web) else { throw ValidationError("bad --web URL \(web)") }
        components.path = "/webapi.htm"
        components.queryItems = (query + params).map { URLQueryItem(name: $0.0, value: $0.1) }
        guard let url = components.url else { throw ValidationError("bad --web URL \(web)") }
        let (data, _) = try await URLSession.shared.data(from: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            object["result"] as? Bool == true
        else {
            throw ValidationError("\(method) failed: \(String(decoding: data, as: UTF8.self))")
        }
        return object
    }
}
