import ArgumentParser

/// `tubemq`: the swift-tubemq command line.
@main
struct TubeMQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tubemq",
        abstract: "Run and use a TubeMQ cluster.",
        subcommands: [
            StandaloneCommand.self, ProduceCommand.self, ConsumeCommand.self, BenchCommand.self, AdminCommand.self,
        ]
    )
}
