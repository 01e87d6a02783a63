import ArgumentParser
import Foundation
import TubeMQClient
import TubeMQCore

/// `tubemq consume`: prints (or counts) a topic's messages as a member of a consumer group.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Receive messages as a member of a consumer group.",
        discussion: """
            Each message is printed as a line: partition, offset, [attributes], then the body. A batch \
            is confirmed to the broker once every line of it was written. When standard output stops \
            taking lines (the reader of a pipe exits or crashes), consume stops with status 1 and the \
            batch in hand is not confirmed, so the group gets it again; lines already written into the \
            pipe's buffer when the reader died count as delivered. To take a fixed number of messages, \
            use --max N rather than a reader that exits early (such as head).
            """
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "The topic.")
    var topic: String

    @Option(help: "The consumer group.")
    var group = "tubemq-cli-group"

    @Option(
        help: """
            Where the group starts: first, latest or latest-always, or a time (ISO 8601, e.g. \
            2026-12-01T10:00:00Z): the first message stored at or after it, whatever the group committed.
            """
    )
    var from = "latest"

    @Option(name: .customLong("filter"), help: "Only messages of this type (repeatable; server-side).")
    var filters: [String] = []

    @Option(parsing: .unconditional, help: "Stop after this many messages.")
    var max: Int?

    @Flag(help: "Print only the number of messages received.")
    var count = false

    func validate() throws {
        if let max, max < 1 { throw ValidationError("--max must be at least 1, got \(max)") }
    }

    func run() async throws {
        let position: Consumer.StartPosition
        switch from {
        case "first": position = .first
        case "latest": position = .latest
        case "latest-always": position = .latestAlways
        default:
            guard let time = Self.time(from) else {
                throw ValidationError(
                    "--from takes first, latest, latest-always or an ISO 8601 time like 2026-12-01T10:00:00Z, got \(from)"
                )
            }
            position = .time(time)
        }
        let clusters = try cluster.clusters()
        var configuration = Consumer.Configuration(masters: clusters[0], group: group, topics: [topic])
        configuration.topics = [topic: Set(filters)]
        configuration.startPosition = position
        configuration.credentials = try cluster.credentials()
        configuration.tls = try cluster.tls()
        configuration.messageOffsets = !count  // each line shows its message's own offset
        // With --max, fetch no more than that in all, over every partition: every batch is then
        // printed whole and confirmed, so the next run goes on right after it (a batch cut short is
        // given back, and a run that always cut its first batch never moved the group on).
        if let max { configuration.messageLimit = max }
        if clusters.count > 1 { return try await consume(from: clusters, configuration: configuration) }
        let consumer = try await PushConsumer(configuration: configuration, logger: cluster.logger("tubemq.consume"))
        let (received, outputClosed) = try await runInterruptibly { [count, max] in
            var received = 0
            var progress = Progress("received")
            defer { progress.finish() }
            var messages = consumer.makeAsyncIterator()
            // Ctrl-C cancels the loop: `next()` then returns nil, and the batch printed whole is confirmed.
            while let message = try await messages.next() {
                received += 1
                if count {
                    progress.update(received)
                } else if !writeFlushed(Self.line(for: message)) {
                    // The reader is gone (`consume | head`, a crashed processor): leaving without
                    // finishBatch gives the batch back, so what was not printed is not consumed.
                    return (received - 1, true)
                }
                if let max, received >= max {
                    // What was printed is consumed: confirm the batch if it was printed whole.
                    messages.finishBatch()
                    break
                }
            }
            return (received, false)
        } then: {
            await consumer.shutdown()
        }
        if outputClosed { try stopForClosedOutput(printed: received) }
        if count { print(received) }
    }

    /// The line printed for `message`: partition, offset (the message's own; from a broker that does
    /// not send it, the offset of the batch it came in), attributes, then the body's bytes as they
    /// are (not decoded, so a binary body comes out as it was sent).
    static func line(for message: ConsumedMessage, prefix: String = "") -> [UInt8] {
        let attributes = message.attributes.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let offset = message.messageOffset ?? message.offset
        var line = Array("\(prefix)\(message.partition.key) \(offset) [\(attributes)] ".utf8)
        line.append(contentsOf: message.body)
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// An ISO 8601 time with a zone (`2026-12-01T10:00:00Z`, `…10:00:00.250+01:00`), or `nil`.
    static func time(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: text) ?? fractional.date(from: text)
    }
}
