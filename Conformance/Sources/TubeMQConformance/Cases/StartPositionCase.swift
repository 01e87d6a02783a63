import TubeMQClient
import TubeMQCore

/// A new group reading from the first offset gets messages sent before it joined; one reading from the
/// latest offset gets only those sent after.
public struct StartPositionCase: ConformanceCase {
    public let name = "start_position"
    public let summary = "a new group from first sees earlier messages, from latest only later ones"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let producer = try await context.producer()
        let partitions = context.partitionKeys(producer)
        let before = try await context.sendTagged(count: 2, scope: "before", covering: partitions, with: producer)
        // Every partition holding an earlier message gets a later one, so per-partition order proves absence.
        let fromFirst = try await context.pushConsumer(
            context.consumerConfiguration(group: context.group("first"), from: .first)
        )
        let fromLatest = try await context.pushConsumer(
            context.consumerConfiguration(group: context.group("latest"), from: .latest)
        )
        let firstInbox = context.collect(fromFirst, scopes: ["before", "after"])
        let latestInbox = context.collect(fromLatest, scopes: ["before", "after"])
        try await context.waitForAssignment(
            "the latest group getting every partition",
            of: [fromLatest],
            covering: partitions
        )
        let after = try await context.sendTagged(count: 2, scope: "after", covering: partitions, with: producer)

        let all = Set(before.map { "before.\($0.tag.sequence)" } + after.map { "after.\($0.tag.sequence)" })
        try await firstInbox.wait("the group reading from first getting earlier and later messages", in: context) {
            all.isSubset(
                of: Set($0.compactMap(\.tag).map { "\($0.scope.split(separator: ".").last ?? "").\($0.sequence)" })
            )
        }
        let later = Set(after.map(\.tag.sequence))
        try await latestInbox.wait("the group reading from latest getting the later messages", in: context) {
            later.isSubset(of: Set($0.filter { context.owns($0.tag, scope: "after") }.compactMap(\.tag?.sequence)))
        }
        let early = latestInbox.messages.filter { context.owns($0.tag, scope: "before") }.compactMap(\.tag?.sequence)
        try require(early.isEmpty, "the group reading from latest got messages \(early.sorted()) sent before it joined")
    }
}
