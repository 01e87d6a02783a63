import TubeMQClient
import TubeMQCore

/// Bound consume: a group started with a partition → offset map reads each of those partitions from
/// exactly the given offset, the offsets the broker reported when the messages were appended.
public struct OffsetResetCase: ConformanceCase {
    public let name = "offset_reset"
    public let summary = "bound consume starts each partition at exactly the offset given"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let producer = try await context.producer()
        let partitions = context.partitionKeys(producer)
        var sent: [(tag: MessageTag, result: SendResult)] = []
        var perPartition: [String: [(tag: MessageTag, result: SendResult)]] = [:]
        // Three messages on every partition.
        while partitions.contains(where: { (perPartition[$0]?.count ?? 0) < 3 }) {
            guard sent.count < 10 * partitions.count else {
                throw .violation("the producer does not reach every partition")
            }
            let batch = try await context.sendTagged(from: sent.count, count: 1, with: producer)
            for item in batch {
                sent.append(item)
                perPartition[item.result.partition.key, default: []].append(item)
            }
        }
        for item in sent {
            try require(item.result.offset >= 0, "the send reply for \(item.tag) carries no appendOffset")
        }
        // Start each partition at its second message: the first must not come, the rest must.
        var offsets: [String: Int64] = [:]
        var expected: Set<Int> = []
        var excluded: Set<Int> = []
        for (partition, items) in perPartition {
            offsets[partition] = items[1].result.offset
            excluded.insert(items[0].tag.sequence)
            expected.formUnion(items[1...].map(\.tag.sequence))
        }
        var configuration = context.consumerConfiguration(group: context.group(), from: .latest)
        configuration.boundConsume = Consumer.BoundConsume(
            sessionKey: "conf-\(context.settings.runID)",
            consumerCount: 1,
            offsets: offsets
        )
        let consumer = try await context.pushConsumer(configuration)
        let inbox = context.collect(consumer)
        try await inbox.wait("every message from the given offsets on arriving", in: context) { messages in
            expected.isSubset(of: Set(messages.compactMap(\.tag?.sequence)))
        }
        let early = Set(inbox.messages.compactMap(\.tag?.sequence)).intersection(excluded)
        try require(
            early.isEmpty,
            "messages \(early.sorted()) before the given offsets were delivered "
                + "(offsets \(offsets.sorted { $0.key < $1.key }))"
        )
    }
}
