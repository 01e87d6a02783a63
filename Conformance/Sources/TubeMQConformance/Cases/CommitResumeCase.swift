import TubeMQClient
import TubeMQCore

/// A group resumes where it committed: a new consumer of the group gets what was sent after the old one
/// confirmed and left, and nothing the old one confirmed.
public struct CommitResumeCase: ConformanceCase {
    public let name = "commit_resume"
    public let summary = "a new consumer of a group resumes after the offsets the last one committed"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let producer = try await context.producer()
        let partitions = context.partitionKeys(producer)
        let group = context.group()
        let first = try await context.pullConsumer(context.consumerConfiguration(group: group, from: .latest))
        try await context.waitForAssignment(
            "the first consumer getting every partition",
            of: [first],
            covering: partitions
        )
        let before = try await context.sendTagged(
            count: partitions.count,
            scope: "before",
            covering: partitions,
            with: producer
        )

        var pending = Set(before.map(\.tag.sequence))
        var batches = BatchReader(consumer: first, context: context)
        while !pending.isEmpty {
            let batch = try await batches.next("the messages sent before the commit") { _ in true }
            for message in batch.messages where context.owns(message.tag, scope: "before") {
                if let sequence = message.tag?.sequence { pending.remove(sequence) }
            }
            _ = try await step("confirming a batch from \(batch.partition.key)") { try await batch.confirm() }
        }
        await first.shutdown()

        let after = try await context.sendTagged(
            count: partitions.count,
            scope: "after",
            covering: partitions,
            with: producer
        )
        // From the first offset unless the group committed: only the commit keeps "before" from coming back.
        let second = try await context.pushConsumer(context.consumerConfiguration(group: group, from: .first))
        let inbox = context.collect(second, scopes: ["before", "after"])
        let wanted = Set(after.map(\.tag.sequence))
        try await inbox.wait("the messages sent after the commit reaching the next consumer", in: context) { messages in
            wanted.isSubset(
                of: Set(messages.filter { context.owns($0.tag, scope: "after") }.compactMap(\.tag?.sequence))
            )
        }
        let repeated = inbox.messages.filter { context.owns($0.tag, scope: "before") }.compactMap(\.tag?.sequence)
        try require(
            repeated.isEmpty,
            "the next consumer of the group got messages \(Set(repeated).sorted()) that were confirmed and committed"
        )
    }
}
