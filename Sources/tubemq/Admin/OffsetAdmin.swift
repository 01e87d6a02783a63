import Foundation
import NIOSSL
import TubeMQCore

/// Consumer-group offsets through the brokers' webapis: the master's webapi says which brokers
/// exist and where each topic is deployed; each broker's webapi (admin-api.md §5.6) holds the
/// offsets of the partitions it serves.
struct OffsetAdmin {
    /// One broker's webapi.
    struct Broker {
        var id: Int64
        var host: String
        var webPort: Int64

        var base: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(webPort)" }
        var label: String { "broker \(id) (\(host):\(webPort))" }
    }

    /// One group's position in one partition.
    struct Row {
        var group: String
        var topic: String
        var partitionID: Int64
        var brokerID: Int64
        /// The committed offset, -1 when the group has none.
        var committed: Int64
        var max: Int64
        var lag: Int64
    }

    /// Where a reset moves a group.
    enum Target {
        case earliest
        case latest
        case offset(Int64)
        case time(Date)
    }

    /// The master's webapi base URL.
    var master: String
    /// The client TLS context for an `https://` master URL.
    var tls: NIOSSLContext?
    /// The broker webapi admin token (`confModAuthToken`) for resets.
    var brokerToken: String
    /// Tokens of brokers whose own differs from ``brokerToken``, by broker id.
    var brokerTokens: [Int64: String] = [:]
    /// The user recorded as modifier.
    var user: String
    /// Seconds each webapi call may take.
    var timeout: TimeInterval = WebGet.defaultTimeout

    /// Every broker the master knows.
    func brokers() async throws(WebAPIFailure) -> [Broker] {
        let answer = try await WebAPICall.get(
            master,
            path: "/webapi.htm",
            method: "admin_query_broker_configure",
            [],
            tls: tls,
            timeout: timeout
        )
        if let refusal = WebAPICall.refusal(answer) { throw WebAPIFailure("the master refused: \(refusal)") }
        return WebAPICall.objects(answer["data"]).compactMap { item in
            guard let id = WebAPICall.int(item["brokerId"]), let host = item["brokerIp"] as? String,
                let port = WebAPICall.int(item["brokerWebPort"])
            else { return nil }
            return Broker(id: id, host: host, webPort: port)
        }
    }

    /// The brokers `topic` is deployed on (not deleted), with the topic's partition ids there.
    func deployment(of topic: String) async throws(WebAPIFailure) -> [(Broker, [Int32])] {
        let answer = try await WebAPICall.get(
            master,
            path: "/webapi.htm",
            method: "admin_query_topic_deploy_configure",
            [("type", "op_query"), ("topicName", topic)],
            tls: tls,
            timeout: timeout
        )
        if let refusal = WebAPICall.refusal(answer) { throw WebAPIFailure("the master refused: \(refusal)") }
        let brokers = Dictionary(try await brokers().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var out: [(Broker, [Int32])] = []
        for item in WebAPICall.objects(answer["data"]) where WebAPICall.int(item["topicStatusId"]) ?? 0 == 0 {
            guard let id = WebAPICall.int(item["brokerId"]), let broker = brokers[id],
                let stores = WebAPICall.int(item["numTopicStores"]),
                let partitions = WebAPICall.int(item["numPartitions"])
            else { continue }
            out.append(
                (
                    broker,
                    PartitionID.all(stores: Int32(clamping: stores), partitionsPerStore: Int32(clamping: partitions))
                )
            )
        }
        guard !out.isEmpty else { throw WebAPIFailure("topic \(topic) is not deployed on any broker") }
        return out.sorted { $0.0.id < $1.0.id }
    }

    /// The offsets of `group` (every group a broker books, with a consumer or committed offsets, when `nil`) on every broker, optionally of
    /// one topic; brokers that cannot be reached are reported in `unreachable`.
    func offsets(group: String?, topic: String?) async throws(WebAPIFailure) -> (rows: [Row], unreachable: [String]) {
        var rows: [Row] = []
        var unreachable: [String] = []
        for broker in try await brokers() {
            var parameters: [(String, String)] = []
            if let group { parameters.append(("groupName", group)) }
            if let topic { parameters.append(("topicName", topic)) }
            let answer: [String: Any]
            do {
                answer = try await WebAPICall.get(
                    broker.base,
                    path: "/broker.htm",
                    method: "admin_query_group_offset",
                    parameters,
                    timeout: timeout
                )
            } catch {
                unreachable.append("\(broker.label): \(error.message)")
                continue
            }
            if let refusal = WebAPICall.refusal(answer) {
                unreachable.append("\(broker.label) refused: \(refusal)")
                continue
            }
            for item in WebAPICall.objects(answer["dataSet"]) {
                let name = item["groupName"] as? String ?? group ?? "?"
                for subscription in WebAPICall.objects(item["subInfo"]) {
                    let topicName = subscription["topicName"] as? String ?? "?"
                    for offsets in WebAPICall.objects(subscription["offsets"]) {
                        rows.append(
                            Row(
                                group: name,
                                topic: topicName,
                                partitionID: WebAPICall.int(offsets["partitionId"]) ?? -1,
                                brokerID: broker.id,
                                committed: WebAPICall.int(offsets["curOffset"]) ?? -1,
                                max: WebAPICall.int(offsets["offsetMax"]) ?? -1,
                                lag: WebAPICall.int(offsets["offsetLag"]) ?? -1
                            )
                        )
                    }
                }
            }
        }
        rows.sort {
            ($0.group, $0.topic, $0.partitionID, $0.brokerID) < ($1.group, $1.topic, $1.partitionID, $1.brokerID)
        }
        return (rows, unreachable)
    }

    /// Moves `group`'s offsets in every partition of `topic` to `target`, broker by broker.
    ///
    /// - Throws: ``WebAPIFailure`` naming the broker and quoting its `errMsg` when one refuses.
    func reset(
        group: String,
        topic: String,
        partition: Int32?,
        broker only: Int64? = nil,
        to target: Target
    ) async throws(WebAPIFailure) {
        var deployed = try await deployment(of: topic)
        if let only {
            deployed = deployed.filter { $0.0.id == only }
            guard !deployed.isEmpty else { throw WebAPIFailure("topic \(topic) is not deployed on broker \(only)") }
        }
        if let partition {
            deployed = deployed.compactMap { entry -> (Broker, [Int32])? in
                entry.1.contains(partition) ? (entry.0, [partition]) : nil
            }
            guard !deployed.isEmpty else { throw WebAPIFailure("topic \(topic) has no partition \(partition)") }
        }
        for (broker, partitions) in deployed {
            var calls: [(String, [(String, String)])] = []
            let token = brokerTokens[broker.id] ?? brokerToken
            let common = [("groupName", group), ("modifyUser", user), ("confModAuthToken", token)]
            switch target {
            case .earliest, .latest:
                // Offsets are clamped into the stored range: 0 is the oldest message kept, the
                // largest offset the newest.
                var value = "0"
                if case .latest = target { value = "\(Self.beyondAnyOffset)" }
                let items = partitions.map { "\"\(broker.id):\(topic):\($0)\":\(value)" }.joined(separator: ",")
                calls.append(("admin_set_offset", common + [("manualSet", "true"), ("offsetJsonInfo", "{\(items)}")]))
            case .offset(let offset):
                for partition in partitions {
                    calls.append(
                        (
                            "admin_manual_set_current_offset",
                            common + [
                                ("topicName", topic), ("partitionId", "\(partition)"), ("manualOffset", "\(offset)"),
                            ]
                        )
                    )
                }
            case .time(let date):
                calls.append(
                    (
                        "admin_set_offset_by_time",
                        common + [("topicName", topic), ("recordTime", Self.recordTime(date))]
                    )
                )
            }
            for (method, parameters) in calls {
                let answer = try await WebAPICall.get(
                    broker.base,
                    path: "/broker.htm",
                    method: method,
                    parameters,
                    timeout: timeout
                )
                if let refusal = WebAPICall.refusal(answer) {
                    var hint = ""
                    if refusal.contains("unauthorized") || refusal.contains("confModAuthToken") {
                        hint =
                            " (give the broker's webapi token with --token, --broker-token \(broker.id)=<token>, or"
                            + " --data for a standalone data folder)"
                    }
                    throw WebAPIFailure("\(broker.label) refused \(method): \(refusal)\(hint)")
                }
            }
        }
    }

    /// An offset past the end of any partition (1 PiB), which the broker clamps to the newest.
    static let beyondAnyOffset: Int64 = 1 << 50

    /// `date` as the broker webapi's `recordTime`: `yyyyMMddHHmmss` in local time (the broker reads
    /// it in its own local time zone, so both must agree, as with TubeMQ).
    static func recordTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: date)
    }

    /// `rows` as an aligned table, with the group column when `withGroup`.
    static func table(_ rows: [Row], withGroup: Bool) -> String {
        var lines: [[String]] = [
            (withGroup ? ["GROUP"] : []) + ["TOPIC", "PARTITION", "BROKER", "COMMITTED", "MAX", "LAG"]
        ]
        for row in rows {
            let committed = row.committed < 0 ? "-" : "\(row.committed)"
            lines.append(
                (withGroup ? [row.group] : [])
                    + [row.topic, "\(row.partitionID)", "\(row.brokerID)", committed, "\(row.max)", "\(row.lag)"]
            )
        }
        let widths = (0..<lines[0].count).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { index, cell in
                cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
