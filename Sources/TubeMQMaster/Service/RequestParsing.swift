import TubeMQCore
import TubeMQMasterState
import TubeMQWire

/// Turns the string fields of master requests into ``TubeMQMasterState`` values.
///
/// Clients are lenient about what they accept, so the master is lenient about what it reads:
/// malformed list entries are skipped (and reported to the caller for logging), never fatal.
enum RequestParsing {
    /// The partitions of `consumerId@group#brokerId:host:port#topic:partitionId` entries, and the
    /// entries that did not parse.
    static func partitions(_ subscribeInfo: [String]) -> (partitions: [Partition], malformed: [String]) {
        var partitions: [Partition] = []
        var malformed: [String] = []
        for entry in subscribeInfo {
            if let subscription = MetadataStrings.parseSubscribeInfo(entry) {
                partitions.append(subscription.partition)
            } else {
                malformed.append(entry)
            }
        }
        return (partitions, malformed)
    }

    /// The subscriptions of an event's `subscribeInfo` entries; malformed entries are skipped.
    static func subscriptions(_ subscribeInfo: [String]) -> [Subscription] {
        subscribeInfo.compactMap(MetadataStrings.parseSubscribeInfo)
    }

    /// Filter items per topic from `topic#filter1,filter2` conditions; topics without items are left out.
    static func filters(_ conditions: [String]) -> [String: Set<String>] {
        var filters: [String: Set<String>] = [:]
        for condition in conditions {
            guard let parsed = MetadataStrings.parseTopicCondition(condition), !parsed.filters.isEmpty else { continue }
            filters[parsed.topic, default: []].formUnion(parsed.filters)
        }
        return filters
    }

    /// Bound-consume start offsets from `requiredPartition`: `brokerId:topic:partitionId=offset`
    /// entries separated by `,`.
    static func requiredOffsets(_ text: String) -> [String: Int64] {
        var offsets: [String: Int64] = [:]
        for entry in text.split(separator: ",") {
            guard let equals = entry.lastIndex(of: "=") else { continue }
            let key = entry[..<equals].trimming(" ")
            let value = entry[entry.index(after: equals)...].trimming(" ")
            guard !key.isEmpty, let offset = Int64(value) else { continue }
            offsets[key] = offset
        }
        return offsets
    }

    /// The id, address and port of a broker's client id, `brokerId:ip:port[:version]`; a blank or
    /// missing port means 8123.
    static func brokerAddress(_ clientID: String) -> (id: Int32, host: String, port: Int)? {
        let parts = clientID.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let id = Int32(parts[0].trimming(" ")), id > 0 else { return nil }
        let host = parts[1].trimming(" ")
        guard !host.isEmpty else { return nil }
        guard parts.count >= 3, !parts[2].trimming(" ").isEmpty else {
            return (id, host, BrokerInfo.defaultPort)
        }
        guard let port = Int(parts[2].trimming(" ")), (1...65_535).contains(port) else { return nil }
        return (id, host, port)
    }

    /// A broker id sent as text (`HeartRequestB2M.brokerId`, `CloseRequestB2M.brokerId`).
    static func brokerID(_ text: String) -> Int32? {
        Int32(text.trimming(" "))
    }

    /// The topic names of a broker's `removedTopicsInfo` entries (topic configuration strings, or
    /// bare names).
    static func topicNames(_ entries: [String]) -> [String] {
        entries.compactMap { entry in
            let name =
                entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { $0.trimming(" ") } ?? ""
            return name.isEmpty ? nil : name
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing occurrences of `character`.
    func trimming(_ character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}
