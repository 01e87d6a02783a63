import ArgumentParser
import Foundation
import TubeMQClient
import TubeMQCore

/// `tubemq produce`: sends stdin lines, or generated payloads, to a topic.
struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Send messages: one per stdin line, or --count generated payloads of --size bytes.",
        discussion: """
            Each stdin line is sent as its bytes, without the line end (\\n, or \\r\\n: a line that \
            ends in a carriage return loses it). Empty lines are not sent (TubeMQ refuses empty \
            messages); a note on standard error names each.
            """
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "The topic.")
    var topic: String

    @Option(help: "Message type ($msgType$), for consumers' filters.")
    var type: String?

    @Option(name: .customLong("attr"), help: "An attribute key=value (repeatable).")
    var attributes: [String] = []

    @Option(parsing: .unconditional, help: "Send this many generated payloads instead of reading stdin.")
    var count: Int?

    @Option(parsing: .unconditional, help: "Size of generated payloads in bytes.")
    var size = 100

    @Flag(help: "Print one line per message sent (id, partition, offset).")
    var verbose = false

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        guard size > 0 else {
            throw ValidationError("--size must be at least 1 (the broker refuses empty messages), got \(size)")
        }
    }

    func run() async throws {
        var base = Message(body: [])
        for item in attributes {
            guard let eq = item.firstIndex(of: "=") else {
                throw ValidationError("--attr takes key=value, got \(item)")
            }
            base.setAttribute(String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
        if let type { base.messageType = type }
        let clusters = try cluster.clusters()
        var producerConfiguration = Producer.Configuration(masters: clusters[0])
        producerConfiguration.credentials = try cluster.credentials()
        producerConfiguration.tls = try cluster.tls()
        let producer = try await MessageSender(
            clusters: clusters,
            configuration: producerConfiguration,
            logger: cluster.logger("tubemq.produce")
        )
        try await producer.publish([topic])
        var sent = 0
        var lineNumber = 0  // of stdin, empty lines included
        var skipped = 0
        var progress = Progress("sent")
        func send(_ body: [UInt8]) async throws {
            var message = base
            message.body = body
            let result = try await producer.send(message, to: topic)
            sent += 1
            if verbose {
                printFlushed(result)
            } else {
                progress.update(sent)
            }
        }
        do {
            if let count {
                let body = [UInt8](repeating: UInt8(ascii: "x"), count: max(0, size))
                for _ in 0..<count { try await send(body) }
            } else {
                var lines = StandardInputLines()
                while let line = lines.next() {
                    lineNumber += 1
                    guard !line.isEmpty else {
                        // TubeMQ refuses an empty body; one blank line must not stop the rest.
                        skipped += 1
                        FileHandle.standardError.write(Data("line \(lineNumber) is empty: not sent\n".utf8))
                        continue
                    }
                    try await send(line)
                }
            }
        } catch {
            progress.finish()
            await producer.shutdown()
            // Say where it stopped, so the rest can be sent again from there.
            let which = count == nil ? "line \(lineNumber)" : "message \(sent + 1)"
            let stored: String
            switch error as? ClientError {
            case let failure? where failure.code == .timeout:
                stored = "it may have been stored (no answer in time)"
            case let failure? where failure.outcomeUnknown:
                stored = "it may have been stored (the broker may have written it before failing)"
            default:
                stored = "it was not stored"
            }
            FileHandle.standardError.write(
                Data(
                    "sent \(sent) messages to \(topic), then \(which) failed: \(stored); nothing after it was sent\n"
                        .utf8
                )
            )
            throw error
        }
        progress.finish()
        await producer.shutdown()
        let note = skipped > 0 ? " (\(skipped) empty lines not sent)" : ""
        FileHandle.standardError.write(Data("sent \(sent) messages to \(topic)\(note)\n".utf8))
    }
}
