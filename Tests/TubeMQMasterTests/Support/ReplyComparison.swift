import Foundation
import SwiftProtobuf

/// Compares our reply with the recorded one as protobuf JSON: the same fields present (nested
/// messages included) and the same values, except values that are ours to choose (versions,
/// checksums, tokens, rebalance ids); those must still match when the recording has a sentinel
/// (-1, -2).
enum ReplyComparison {
    /// Fields whose values differ between masters by design.
    static let volatileKeys: Set<String> = [
        "brokerCheckSum", "visitAuthorizedToken", "rebalanceId", "curBrokerConfId", "confCheckSumId",
        "brokerConfigId", "topicMetaInfoId",
    ]

    /// The differences between `recorded` and `ours`, as readable lines; empty when they match.
    static func differences(recorded: any SwiftProtobuf.Message, ours: any SwiftProtobuf.Message) -> [String] {
        guard let left = json(recorded), let right = json(ours) else { return ["cannot render replies as JSON"] }
        return diff(left, right, path: "")
    }

    static func json(_ message: any SwiftProtobuf.Message) -> [String: Any]? {
        guard let text = try? message.jsonString(), let data = text.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    private static func diff(_ recorded: [String: Any], _ ours: [String: Any], path: String) -> [String] {
        var out: [String] = []
        let missing = Set(recorded.keys).subtracting(ours.keys).sorted()
        let extra = Set(ours.keys).subtracting(recorded.keys).sorted()
        if !missing.isEmpty { out.append("\(path): missing fields \(missing)") }
        if !extra.isEmpty { out.append("\(path): extra fields \(extra)") }
        for key in Set(recorded.keys).intersection(ours.keys).sorted() {
            let at = path.isEmpty ? key : "\(path).\(key)"
            guard let left = recorded[key], let right = ours[key] else { continue }
            if let left = left as? [String: Any], let right = right as? [String: Any] {
                out += diff(left, right, path: at)
            } else if key == "brokerTopicSetConfInfo" || key == "removeTopicConfInfo" {
                out += compareTopicConfigs(left, right, path: at)
            } else if volatileKeys.contains(key) {
                let text = "\(left)"
                if text == "-1" || text == "-2", text != "\(right)" {
                    out.append("\(at): \(text) expected, ours \(right)")
                }
            } else if "\(left)" != "\(right)" {
                out.append("\(at): recorded \(left), ours \(right)")
            }
        }
        return out
    }

    /// Topic configuration strings: the same topics, each with the same number of `:` fields.
    /// (The order is the recorded master's hash order; field positions are the Wire layer's.)
    private static func compareTopicConfigs(_ recorded: Any, _ ours: Any, path: String) -> [String] {
        func shape(_ value: Any) -> [String] {
            ((value as? [String]) ?? []).map { entry in
                let fields = entry.split(separator: ":", omittingEmptySubsequences: false)
                return "\(fields.first ?? "")/\(fields.count)"
            }.sorted()
        }
        let (left, right) = (shape(recorded), shape(ours))
        return left == right ? [] : ["\(path): recorded \(left), ours \(right)"]
    }
}
