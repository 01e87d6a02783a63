import TubeMQClient
import TubeMQCore

/// Three consumers of one group share the topic: every partition is held by exactly one of them, and
/// when one leaves, its partitions move to the others, which then get what is sent to them.
public struct GroupBalanceCase: ConformanceCase {
    public let name = "group_balance"
    public let summary = "three consumers split the partitions; a leaver's partitions move to the others"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let producer = try await context.producer()
        try context.requirePartitions(2, producer)
        let partitions = context.partitionKeys(producer)
        let configuration = context.consumerConfiguration(group: context.group(), from: .latest)
        var consumers: [PushConsumer] = []
        for _ in 0..<3 { consumers.append(try await context.pushConsumer(configuration)) }
        let inboxes = consumers.map { context.collect($0, scopes: ["joined", "left"]) }
        try await context.waitForAssignment(
            "each partition held by exactly one of three consumers",
            of: consumers,
            covering: partitions,
            everyConsumerHolds: partitions.count >= consumers.count
        )
        try await checkDelivery(scope: "joined", to: Array(zip(consumers, inboxes)), producer, partitions, context)

        var holdings: [Int] = []
        for consumer in consumers { holdings.append(await consumer.assignedPartitions().count) }
        guard let leaver = holdings.indices.max(by: { holdings[$0] < holdings[$1] }) else { return }
        await consumers[leaver].shutdown()
        let staying = consumers.indices.filter { $0 != leaver }
        try await context.waitForAssignment(
            "the partitions of the consumer that left moving to the two others",
            of: staying.map { consumers[$0] },
            covering: partitions,
            everyConsumerHolds: true
        )
        try await checkDelivery(
            scope: "left",
            to: staying.map { (consumers[$0], inboxes[$0]) },
            producer,
            partitions,
            context
        )
    }

    /// Sends a message to every partition and checks that the consumers together get each one, from the
    /// consumer holding its partition.
    private func checkDelivery(
        scope: String,
        to members: [(consumer: PushConsumer, inbox: Inbox)],
        _ producer: Producer,
        _ partitions: Set<String>,
        _ context: CaseContext
    ) async throws(ConformanceError) {
        let ownersBefore = await owners(members)
        let sent = try await context.sendTagged(count: 0, scope: scope, covering: partitions, with: producer)
        let wanted = Set(sent.map(\.tag.sequence))
        let inboxes = members.map(\.inbox)
        try await context.eventually("every consumer's share of the messages arriving (\(scope))") { () async -> Bool in
            let got = inboxes.flatMap(\.messages).filter { context.owns($0.tag, scope: scope) }
            return wanted.isSubset(of: Set(got.compactMap(\.tag?.sequence)))
        }
        // A late step of the master's balancing may move a partition meanwhile: who held it before or after counts.
        let ownersAfter = await owners(members)
        for (index, member) in members.enumerated() {
            for message in member.inbox.messages where context.owns(message.tag, scope: scope) {
                let holders = ownersBefore[message.partitionKey, default: []].union(
                    ownersAfter[message.partitionKey, default: []]
                )
                try require(
                    holders.contains(index),
                    "a message of \(message.partitionKey) reached a consumer that did not hold the partition"
                )
            }
        }
    }

    /// Which consumers hold each partition, by partition key.
    private func owners(_ members: [(consumer: PushConsumer, inbox: Inbox)]) async -> [String: Set<Int>] {
        var owners: [String: Set<Int>] = [:]
        for (index, member) in members.enumerated() {
            for partition in await member.consumer.assignedPartitions() {
                owners[partition.key, default: []].insert(index)
            }
        }
        return owners
    }
}
