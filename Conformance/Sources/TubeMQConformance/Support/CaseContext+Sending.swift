import TubeMQClient
import TubeMQCore

extension CaseContext {
    /// Sends `message` to the topic under test.
    ///
    /// - Throws: ``ConformanceError`` `clientFailure` naming the message's tag when the send fails.
    func send(_ message: Message, with producer: Producer) async throws(ConformanceError) -> SendResult {
        let label = MessageTag(message).map { "\($0)" } ?? "a message"
        return try await step("sending \(label)") { try await producer.send(message, to: topic) }
    }

    /// Sends tagged messages `first, first+1, …` (scope `scope`) until `count` were sent and every partition
    /// in `cover` received at least one of them; returns what each send reported, by sequence number.
    ///
    /// The producer picks partitions round-robin, so covering takes about one message per partition.
    /// - Throws: ``ConformanceError`` when a send fails or coverage needs more than 20 messages per partition.
    func sendTagged(
        from first: Int = 0,
        count: Int,
        scope: String? = nil,
        covering cover: Set<String> = [],
        with producer: Producer,
        make: (MessageTag) -> Message = { $0.message(body: Array("payload \($0.sequence)".utf8)) }
    ) async throws(ConformanceError) -> [(tag: MessageTag, result: SendResult)] {
        var sent: [(tag: MessageTag, result: SendResult)] = []
        var missing = cover
        var sequence = first
        while sent.count < count || !missing.isEmpty {
            guard sent.count < count + 20 * max(1, cover.count) else {
                throw .violation("the producer never reached partitions \(missing.sorted())")
            }
            let tag = tag(sequence, scope: scope)
            let result = try await send(make(tag), with: producer)
            missing.remove(result.partition.key)
            sent.append((tag, result))
            sequence += 1
        }
        return sent
    }

    /// The keys of every partition of the topic, as `producer` knows them.
    func partitionKeys(_ producer: Producer) -> Set<String> {
        Set(producer.partitions(of: topic).map(\.key))
    }

    /// Skips the case unless the topic has at least `count` partitions.
    ///
    /// - Throws: ``ConformanceError`` `skipped`.
    func requirePartitions(_ count: Int, _ producer: Producer) throws(ConformanceError) {
        let have = producer.partitions(of: topic).count
        guard have >= count else {
            throw .skipped("needs a topic with at least \(count) partitions; \(topic) has \(have)")
        }
    }
}
