import Foundation
import TubeMQCore

/// One recorded frame between a client and the real master (`../shared/vectors/*.jsonl`, peer "master").
struct RecordedMasterFrame: @unchecked Sendable {
    // @unchecked: `fields` is an immutable JSON dictionary once loaded.
    let time: Int64
    let conn: Int
    let isRequest: Bool
    let serial: Int
    let method: Int?
    let fields: [String: Any]

    func string(_ key: String) -> String? { fields[key] as? String }
    func strings(_ key: String) -> [String] { fields[key] as? [String] ?? [] }
    func bool(_ key: String) -> Bool? { (fields[key] as? NSNumber)?.boolValue }
    func int64(_ key: String) -> Int64? { (fields[key] as? NSNumber)?.int64Value }
    func object(_ key: String) -> [String: Any]? { fields[key] as? [String: Any] }
}

/// Loading and parsing of the recorded vectors: `TUBEMQ_VECTORS`, or `shared/vectors` beside the repository.
enum RecordedVectors {
    static let directory: URL = {
        if let path = ProcessInfo.processInfo.environment["TUBEMQ_VECTORS"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }()

    /// The master frames of `file` in recorded order, or `nil` when the file is not there.
    static func masterFrames(_ file: String) -> [RecordedMasterFrame]? {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else {
            return nil
        }
        return text.split(separator: "\n").compactMap { line in
            guard let data = line.data(using: .utf8),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                json["peer"] as? String == "master"
            else { return nil }
            return RecordedMasterFrame(
                time: Int64((json["t_ms"] as? NSNumber)?.doubleValue ?? 0),
                conn: (json["conn"] as? NSNumber)?.intValue ?? -1,
                isRequest: json["dir"] as? String == "request",
                serial: (json["serial"] as? NSNumber)?.intValue ?? -1,
                method: (json["method"] as? NSNumber)?.intValue,
                fields: json["fields"] as? [String: Any] ?? [:]
            )
        }
    }

    /// Parses `consumerId@group#brokerId:host:port#topic:partitionId` (a blank port means 8123).
    static func subscription(_ text: String) -> Subscription? {
        let segments = text.split(separator: "#", omittingEmptySubsequences: false)
        guard segments.count == 3 else { return nil }
        let owner = segments[0].split(separator: "@", maxSplits: 1)
        let broker = segments[1].split(separator: ":", omittingEmptySubsequences: false)
        guard owner.count == 2, broker.count == 3, let id = Int32(broker[0]),
            let colon = segments[2].lastIndex(of: ":"),
            let partition = Int32(segments[2][segments[2].index(after: colon)...])
        else { return nil }
        let port = Int(broker[2].trimmingCharacters(in: .whitespaces)) ?? BrokerInfo.defaultPort
        return Subscription(
            consumerID: String(owner[0]),
            group: String(owner[1]),
            partition: Partition(
                broker: BrokerInfo(id: id, host: String(broker[1]), port: port),
                topic: String(segments[2][..<colon]),
                id: partition
            )
        )
    }

    /// Parses `topic#filter1,filter2` conditions.
    static func filters(_ conditions: [String]) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for condition in conditions {
            let parts = condition.split(separator: "#", maxSplits: 1)
            guard parts.count == 2 else { continue }
            out[String(parts[0]), default: []].formUnion(parts[1].split(separator: ",").map(String.init))
        }
        return out
    }

    /// A broker as `brokerInfos` carries it: `id:host:port`, the default port left blank.
    static func format(_ broker: BrokerInfo) -> String {
        "\(broker.id):\(broker.host):\(broker.port == BrokerInfo.defaultPort ? " " : String(broker.port))"
    }
}
