import TubeMQClient
import TubeMQCore

/// Within a partition, messages are delivered in the order they were appended, on the partition the
/// send reply named.
public struct PartitionOrderCase: ConformanceCase {
    public let name = "partition_order"
    public let summary = "each partition delivers its messages in append order"

    /// How many messages to send per partition.
    public var perPartition: Int

    /// Creates the case.
    public init(perPartition: Int = 15) { self.perPartition = perPartition }

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let producer = try await context.producer()
        try context.requirePartitions(2, producer)
        let partitions = context.partitionKeys(producer)
        let consumer = try await context.pushConsumer(
            context.consumerConfiguration(group: context.group(), from: .latest)
        )
        try await context.waitForAssignment(
            "the consumer getting every partition",
            of: [consumer],
            covering: partitions
        )
        let inbox = context.collect(consumer)
        let sent = try await context.sendTagged(
            count: perPartition * partitions.count,
            covering: partitions,
            with: producer
        )
        try await inbox.wait("all \(sent.count) messages arriving", in: context) { messages in
            Set(messages.compactMap(\.tag?.sequence)).count == sent.count
        }
        let placement = Dictionary(uniqueKeysWithValues: sent.map { ($0.tag.sequence, $0.result.partition.key) })
        var order: [String: [Int]] = [:]
        for message in inbox.messages {
            guard let sequence = message.tag?.sequence, let expected = placement[sequence] else { continue }
            try require(
                message.partitionKey == expected,
                "message \(sequence) was appended to \(expected) but delivered from \(message.partitionKey)"
            )
            order[expected, default: []].append(sequence)
        }
        for (partition, sequences) in order {
            let wanted = sent.filter { $0.result.partition.key == partition }.map(\.tag.sequence)
            try require(
                sequences == wanted,
                "partition \(partition) delivered \(sequences) but the messages were appended as \(wanted)"
            )
        }
    }
}
