import TubeMQClient
import TubeMQCore

/// Messages come back byte for byte: body, attributes in order, the message type, and the id the send
/// reply gave; a message without attributes (flag 0) comes back without attributes.
public struct RoundTripCase: ConformanceCase {
    public let name = "round_trip"
    public let summary = "bodies, attributes and message ids come back exactly as sent"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let producer = try await context.producer()
        let consumer = try await context.pushConsumer(
            context.consumerConfiguration(group: context.group(), from: .latest)
        )
        try await context.waitForAssignment(
            "the consumer getting every partition",
            of: [consumer],
            covering: context.partitionKeys(producer)
        )
        let inbox = context.collect(consumer)

        var expected: [Int: (message: Message, id: Int64)] = [:]
        for sequence in 0..<4 {
            let tag = context.tag(sequence)
            let message = Self.message(sequence, tag: tag)
            let result = try await context.send(message, with: producer)
            expected[sequence] = (message, result.messageID)
        }
        try await inbox.wait("all 4 messages arriving", in: context) { messages in
            Set(messages.compactMap(\.tag?.sequence)).count == expected.count
        }
        for received in inbox.messages {
            guard let sequence = received.tag?.sequence, let (sent, id) = expected[sequence] else { continue }
            try require(
                received.body == sent.body,
                "message \(sequence): body of \(received.body.count) bytes differs from the \(sent.body.count) sent"
            )
            try require(
                received.attributes.elementsEqual(sent.attributes, by: { $0 == $1 }),
                "message \(sequence): attributes \(received.attributes) differ from \(sent.attributes) sent"
            )
            try require(
                received.messageType == sent.messageType,
                "message \(sequence): type \(received.messageType ?? "none") instead of \(sent.messageType ?? "none")"
            )
            try require(
                received.messageID == id,
                "message \(sequence): id \(received.messageID) differs from \(id) in the send reply"
            )
        }
    }

    /// Message `sequence`: every byte value, non-ASCII attributes, a one-byte body, and a flag-0 message.
    static func message(_ sequence: Int, tag: MessageTag) -> Message {
        switch sequence {
        case 0:
            return tag.message(body: (0...255).map { UInt8($0) }, type: "confRoundTrip")
        case 1:
            return tag.message(
                body: Array("grüße ✓ 日本".utf8),
                attributes: [
                    (key: "k1", value: "v1"), (key: "ünïcode", value: "çødé ✓"), (key: "empty", value: ""),
                ]
            )
        case 2:
            return tag.message(body: [0])
        default:
            var random = SeededBytes(seed: UInt64(sequence))
            return Message(body: tag.bodyPrefix + random.next(1000))
        }
    }
}
