import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Creates the topic under test through the master's HTTP admin API (`/webapi.htm`), when asked to.
///
/// The suite otherwise creates nothing. With an admin URL it adds the topic on every broker the master
/// knows (`admin_add_new_topic_record`), then reloads the brokers' configuration
/// (`admin_reload_broker_configure`, which the original master needs before it publishes a new topic).
/// A topic that already exists is left alone.
public struct AdminSetup: Sendable {
    /// The master's web address, `http://host:webPort` (the `/webapi.htm` path is added when missing).
    public var url: String
    /// The master's `confModAuthToken`.
    public var token: String
    /// Partitions per broker for a created topic.
    public var partitions: Int

    /// Creates a setup.
    public init(url: String, token: String, partitions: Int = 4) {
        self.url = url
        self.token = token
        self.partitions = partitions
    }

    /// Makes sure `topic` exists; returns what was done, for the report.
    ///
    /// - Throws: ``ConformanceError`` `clientFailure` when the admin API cannot be reached or refuses.
    public func ensureTopic(_ topic: String) async throws(ConformanceError) -> String {
        let existing = try await call(["method": "admin_query_topic_info", "topicName": topic])
        if !existing.isEmpty { return "topic \(topic) exists" }
        let brokers = try await call(["method": "admin_query_broker_configure"])
            .compactMap { ($0["brokerId"] as? NSNumber)?.intValue }
        guard !brokers.isEmpty else { throw ConformanceError(.clientFailure, "the master knows no broker") }
        let ids = brokers.map(String.init).joined(separator: ",")
        _ = try await call([
            "method": "admin_add_new_topic_record", "topicName": topic, "brokerId": ids,
            "numPartitions": String(partitions), "createUser": "conformance", "confModAuthToken": token,
        ])
        _ = try? await call([
            "method": "admin_reload_broker_configure", "brokerId": ids, "modifyUser": "conformance",
            "confModAuthToken": token,
        ])
        return "created topic \(topic) with \(partitions) partitions on brokers \(ids)"
    }

    /// Calls one admin method and returns its `data` items.
    private func call(_ parameters: [String: String]) async throws(ConformanceError) -> [[String: Any]] {
        var base = url.hasSuffix("/") ? String(url.dropLast()) : url
        if !base.hasSuffix(".htm") { base += "/webapi.htm" }
        guard var components = URLComponents(string: base) else {
            throw ConformanceError(.clientFailure, "bad admin URL \(url)")
        }
        components.queryItems = parameters.sorted { $0.key < $1.key }.map {
            URLQueryItem(name: $0.key, value: $0.value)
        }
        guard let address = components.url else { throw ConformanceError(.clientFailure, "bad admin URL \(url)") }
        let method = parameters["method"] ?? "?"
        let body: Data
        do {
            (body, _) = try await URLSession.shared.data(from: address)
        } catch {
            throw ConformanceError(.clientFailure, "admin call \(method) to \(base) failed", underlying: error)
        }
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw ConformanceError(.clientFailure, "admin call \(method) answered no JSON object")
        }
        guard object["result"] as? Bool == true else {
            throw ConformanceError(
                .clientFailure,
                "admin call \(method) failed: \(object["errCode"] ?? "?") \(object["errMsg"] ?? "")"
            )
        }
        return object["data"] as? [[String: Any]] ?? []
    }
}
