import TubeMQClient
import TubeMQCore

/// Two groups consume the same topic independently: each gets every message.
public struct IndependentGroupsCase: ConformanceCase {
    public let name = "independent_groups"
    public let summary = "two groups each get every message"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let producer = try await context.producer()
        let partitions = context.partitionKeys(producer)
        let one = try await context.pushConsumer(
            context.consumerConfiguration(group: context.group("one"), from: .latest)
        )
        let two = try await context.pushConsumer(
            context.consumerConfiguration(group: context.group("two"), from: .latest)
        )
        try await context.waitForAssignment("group one getting every partition", of: [one], covering: partitions)
        try await context.waitForAssignment("group two getting every partition", of: [two], covering: partitions)
        let inboxes = [context.collect(one), context.collect(two)]
        let sent = try await context.sendTagged(count: 5 * partitions.count, covering: partitions, with: producer)
        let wanted = Set(sent.map(\.tag.sequence))
        for (index, inbox) in inboxes.enumerated() {
            try await inbox.wait("group \(index + 1) getting all \(wanted.count) messages", in: context) { messages in
                wanted.isSubset(of: Set(messages.compactMap(\.tag?.sequence)))
            }
        }
    }
}
