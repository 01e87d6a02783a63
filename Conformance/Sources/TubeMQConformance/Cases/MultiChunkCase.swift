import TubeMQClient
import TubeMQCore

/// Messages larger than one 8 KiB frame chunk, and larger than 64 KiB, travel split into chunks both
/// ways and come back byte for byte.
public struct MultiChunkCase: ConformanceCase {
    public let name = "multi_chunk"
    public let summary = "messages over 8 KiB and 64 KiB come back byte for byte"

    /// Body sizes to send.
    public var sizes: [Int]

    /// Creates the case.
    public init(sizes: [Int] = [8_191, 8_193, 65_537, 300_000]) { self.sizes = sizes }

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let probe = try await ClusterProbe.connect(context)
        let fitting = sizes.filter { $0 + 200 <= probe.maxMessageSize }
        guard fitting.contains(where: { $0 > 65_536 }) else {
            throw .skipped("the topic allows only \(probe.maxMessageSize) bytes per message")
        }
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
        var expected: [Int: [UInt8]] = [:]
        for (sequence, size) in fitting.enumerated() {
            var random = SeededBytes(seed: UInt64(size))
            let body = random.next(size)
            expected[sequence] = body
            _ = try await context.send(context.tag(sequence).message(body: body), with: producer)
        }
        try await inbox.wait("all \(expected.count) large messages arriving", in: context) { messages in
            Set(messages.compactMap(\.tag?.sequence)).count == expected.count
        }
        for message in inbox.messages {
            guard let sequence = message.tag?.sequence, let body = expected[sequence] else { continue }
            guard message.body != body else { continue }
            let firstDifference = zip(message.body, body).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            throw .violation(
                "message of \(body.count) bytes came back as \(message.body.count) bytes"
                    + (firstDifference.map { ", first difference at byte \($0)" } ?? "")
            )
        }
    }
}
