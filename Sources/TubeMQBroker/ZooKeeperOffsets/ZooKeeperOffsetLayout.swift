/// TubeMQ's layout of group offsets in ZooKeeper (its broker's `ZkOffsetStorage`):
///
/// * node `<root>/consumers-v3/<group>/offsets/<topic>/<brokerId>-<partitionId>`, persistent, its
///   parents created as needed;
/// * data `<messageId>-<offset>` in UTF-8, the offset in the units the broker's offset webapi reports.
///
/// TubeMQ reads the offset back as the second `-`-separated field. This broker does not track the id
/// of the last consumed message per group, so it writes 0 there (a negative id would break that
/// reader); its own reader takes the text after the last `-`.
public struct ZooKeeperOffsetLayout: Sendable, Hashable {
    /// The normalized root: one leading `/`, no trailing `/` (`/` stays `/`).
    public let root: String

    /// A layout under `nodeRoot` (`zkNodeRoot`).
    public init(nodeRoot: String) {
        var trimmed = Substring(nodeRoot)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        root = "/" + trimmed
    }

    /// `<root>/consumers-v3`.
    public var consumersDirectory: String { (root == "/" ? "" : root) + "/consumers-v3" }

    /// The node holding `group`'s offset of partition `partitionID` of `topic` on broker `brokerID`.
    public func offsetNode(group: String, topic: String, brokerID: Int32, partitionID: Int32) -> String {
        "\(consumersDirectory)/\(group)/offsets/\(topic)/\(brokerID)-\(partitionID)"
    }

    /// The node's data for `offset`.
    public static func encode(offset: Int64, messageID: Int64 = 0) -> [UInt8] {
        Array("\(messageID)-\(offset)".utf8)
    }

    /// The offset in a node's data, or `nil` when it is not `<messageId>-<offset>`.
    public static func decodeOffset(_ data: [UInt8]) -> Int64? {
        let text = String(decoding: data, as: UTF8.self)
        guard let dash = text.lastIndex(of: "-"), dash != text.startIndex else { return nil }
        guard Int64(text[..<dash]) != nil else { return nil }
        return Int64(text[text.index(after: dash)...])
    }
}
