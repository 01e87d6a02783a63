import Foundation
import SwiftProtobuf

/// Compares our reply with the recorded one: the same fields present, the same values except
/// those that legitimately differ between runs (ids, times, lag figures).
enum ReplyComparison {
    static let volatileKeys: Set<String> = ["messageId", "appendTime", "currDataDlt"]

    /// Differences, as readable lines; empty when the replies match.
    static func differences(
        ours: any SwiftProtobuf.Message,
        recordedJSON: String,
        ignoring extra: Set<String> = []
    )
        throws -> [String]
    {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        let oursJSON = try ours.jsonString(options: options)
        let a = try JSONSerialization.jsonObject(with: Data(oursJSON.utf8))
        let b = try JSONSerialization.jsonObject(with: Data(recordedJSON.utf8))
        var out: [String] = []
        compare(a, b, path: "", ignoring: volatileKeys.union(extra), into: &out)
        return out
    }

    /// `-1` marks "not computed" in the real broker's replies; those must match even for volatile keys.
    private static func isSentinel(_ value: Any?) -> Bool {
        guard let value else { return false }
        return "\(value)" == "-1"
    }

    private static func compare(_ a: Any, _ b: Any, path: String, ignoring: Set<String>, into out: inout [String]) {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            for key in Set(x.keys).union(y.keys).sorted() where !ignoring.contains(key) || isSentinel(y[key]) {
                guard let xv = x[key] else {
                    out.append("\(path).\(key): missing in ours")
                    continue
                }
                guard let yv = y[key] else {
                    out.append("\(path).\(key): extra in ours")
                    continue
                }
                compare(xv, yv, path: "\(path).\(key)", ignoring: ignoring, into: &out)
            }
        case (let x as [Any], let y as [Any]):
            guard x.count == y.count else {
                out.append("\(path): \(x.count) items vs \(y.count)")
                return
            }
            for (index, (xv, yv)) in zip(x, y).enumerated() {
                compare(xv, yv, path: "\(path)[\(index)]", ignoring: ignoring, into: &out)
            }
        default:
            // SwiftProtobuf writes int64 as strings; the recording has numbers.
            let xs = "\(a)"
            let ys = "\(b)"
            if xs != ys { out.append("\(path): \(xs) vs \(ys)") }
        }
    }
}
