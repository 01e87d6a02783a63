import ArgumentParser
import Foundation
import TubeMQClient
import TubeMQCore

/// `tubemq consume`: prints (or counts) a topic's messages as a member of a consumer group.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Receive messages as a member of a consumer group."
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "The topic.")
    var topic: String

    @Option(help: "The consumer group.")
    var group = "tubemq-cli-group"

    @Option(help: "Where a new group starts: first, latest or latest-always.")
    var from = "latest"

    @Option(name: .customLong("filter"), help: "Only messages of this type (repeatable; server-side).")
    var filters: [String] = []

    @Option(help: "Stop after this many messages.")
    var max: Int?

    @Flag(help: "Print only the number of messages received.")
    var count = false

    func run() async throws {
        let position: Consumer.StartPosition
        switch from {
        case "first": position = .first
        case "latest": position = .latest
        case "latest-always": position = .latestAlways
        default: throw ValidationError("--from takes first, latest or latest-always")
        }
        var configuration = Consumer.Configuration(masters: try cluster.masters(), group: group, topics: [topic])
        configuration.topics = [topic: Set(filters)]
        configuration.startPosition = position
        configuration.credentials = try cluster.credentials()
        configuration.tls = try cluster.tls()
        let consumer = try await PushConsumer(configuration: configuration, logger: cluster.logger("tubemq.consume"))
        var received = 0
        var progress = Progress("received")
        for try await message in consumer {
            received += 1
            if count {
                progress.update(received)
            } else {
                let attributes = message.attributes.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                printFlushed(
                    "\(message.partition.key) \(message.offset) [\(attributes)] \(String(decoding: message.body, as: UTF8.self))"
                )
            }
            if let max, received >= max { break }
        }
        progress.finish()
        await consumer.shutdown()
        if count { print(received) }
    }
}
