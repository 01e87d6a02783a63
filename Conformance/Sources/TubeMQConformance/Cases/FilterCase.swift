import TubeMQClient
import TubeMQCore

/// A consumer that asks for one message type gets only messages of that type: the broker filters by
/// the hash of `$msgType$`.
///
/// Every partition that received a message of the other type later receives one of the wanted type,
/// so, partitions being delivered in order, getting every wanted message proves the others were dropped.
public struct FilterCase: ConformanceCase {
    public let name = "filter"
    public let summary = "a consumer filtering on a message type gets only that type"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let producer = try await context.producer()
        let partitions = context.partitionKeys(producer)
        let wantedType = "confA\(context.settings.runID)"
        let otherType = "confB\(context.settings.runID)"
        var configuration = context.consumerConfiguration(group: context.group(), from: .latest)
        configuration.filter(context.topic, messageTypes: [wantedType])
        let consumer = try await context.pushConsumer(configuration)
        try await context.waitForAssignment(
            "the consumer getting every partition",
            of: [consumer],
            covering: partitions
        )
        let inbox = context.collect(consumer)

        var wanted: Set<Int> = []
        var sequence = 0
        var unwantedOn: Set<String> = []
        for index in 0..<(2 * partitions.count) {
            let type = index % 2 == 0 ? otherType : wantedType
            let result = try await context.send(
                context.tag(sequence).message(body: Array("filtered \(sequence)".utf8), type: type),
                with: producer
            )
            if type == wantedType { wanted.insert(sequence) } else { unwantedOn.insert(result.partition.key) }
            if type == wantedType { unwantedOn.remove(result.partition.key) }
            sequence += 1
        }
        // Close every partition that last got an unwanted message with a wanted one.
        for sent in try await context.sendTagged(
            from: sequence,
            count: 0,
            covering: unwantedOn,
            with: producer,
            make: { $0.message(body: Array("filtered \($0.sequence)".utf8), type: wantedType) }
        ) {
            wanted.insert(sent.tag.sequence)
        }
        try await inbox.wait("all \(wanted.count) messages of the wanted type arriving", in: context) { messages in
            wanted.isSubset(of: Set(messages.compactMap(\.tag?.sequence)))
        }
        let unwanted = inbox.messages.filter { $0.messageType != wantedType }
        try require(
            unwanted.isEmpty,
            "the consumer filtering on \(wantedType) got \(unwanted.count) messages of type "
                + "\(Set(unwanted.map { $0.messageType ?? "none" }).sorted())"
        )
    }
}
