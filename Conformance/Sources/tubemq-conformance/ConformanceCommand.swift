import ArgumentParser
import Foundation
import Logging
import TubeMQClient
import TubeMQConformance

/// `tubemq-conformance`: checks, case by case, that a running TubeMQ cluster behaves as TubeMQ must.
@main
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tubemq-conformance",
        abstract: "Check that a running TubeMQ cluster (this project's or the original) behaves as TubeMQ must.",
        discussion: """
            The topic must exist and have at least two partitions; the suite creates nothing. Cases use \
            groups named conf_<case>_<runid> and skip messages of other runs, so the topic may be shared. \
            The original master balances groups 30 s after it starts and then every 60 s: keep the case \
            timeout in minutes there. Exit status 1 when any case fails.
            """,
        subcommands: [DurabilityCommand.self]
    )

    @Option(help: "The masters, as host:port[,host:port...] (required unless a subcommand runs).")
    var master = ""

    @Option(help: "An existing topic with at least two partitions (required unless a subcommand runs).")
    var topic = ""

    @Option(help: "Run only these cases (comma-separated names).")
    var only: String?

    @Option(help: "Do not run these cases (comma-separated names).")
    var skip: String?

    @Flag(help: "Print a JSON report instead of text.")
    var json = false

    @Option(help: "Seconds one case may take.")
    var caseTimeout: Double = 180

    @Option(help: "Seconds a case waits for the master to assign or move partitions (at most the case timeout).")
    var balanceWait: Double = 150

    @Option(help: "Heartbeat period of the suite's clients, in milliseconds.")
    var heartbeatMs: Int = 2000

    @Option(help: "Run id marking this run's groups and messages (random by default).")
    var runId: String?

    @Option(
        help:
            "The masters' webapi addresses, host:webPort[,host:webPort...] in --master's order (the standby case checks their redirect)."
    )
    var masterWeb = ""

    @Option(help: "The master's admin web address (http://host:webPort); creates the topic when it does not exist.")
    var adminUrl: String?

    @Option(help: "The master's confModAuthToken, for --admin-url.")
    var adminToken = "ASDFGHJKL"

    @Option(help: "Partitions per broker of a topic created through --admin-url.")
    var adminPartitions = 4

    @Flag(help: "List the cases and exit.")
    var list = false

    @Option(help: "Log level of the suite's clients (trace, debug, info, notice, warning, error, critical).")
    var logLevel = "critical"

    func validate() throws {
        guard caseTimeout > 0, balanceWait > 0, heartbeatMs > 0 else {
            throw ValidationError("timeouts and periods must be positive")
        }
    }

    func run() async throws {
        if list {
            for item in ConformanceSuite.all {
                print("\(item.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(item.summary)")
            }
            return
        }
        // Checked here, not in validate(): the durability subcommand needs neither.
        guard !MasterAddress.list(parsing: master).isEmpty else {
            throw ValidationError("--master takes host:port[,…]")
        }
        guard !topic.isEmpty else { throw ValidationError("--topic is required") }
        var logger = Logger(label: "tubemq.conformance")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .critical
        var settings = ConformanceSettings(
            masters: MasterAddress.list(parsing: master),
            topic: topic,
            caseTimeout: .milliseconds(Int64(caseTimeout * 1000)),
            balanceWait: .milliseconds(Int64(balanceWait * 1000)),
            heartbeatPeriod: .milliseconds(heartbeatMs),
            logger: logger
        )
        if let runId { settings.runID = runId }
        if !masterWeb.isEmpty {
            let webs = MasterAddress.list(parsing: masterWeb.replacingOccurrences(of: "http://", with: ""))
            guard webs.count == settings.masters.count else {
                throw ValidationError("--master-web takes one host:webPort per --master address")
            }
            settings.masterWebAddresses = webs
        }
        if let adminUrl {
            do {
                let done = try await AdminSetup(url: adminUrl, token: adminToken, partitions: adminPartitions)
                    .ensureTopic(topic)
                if !json { Self.emit("setup: \(done)\n") }
                _ = try await ConformanceRunner(settings: settings).waitForTopic(within: .seconds(120))
            } catch {
                throw ValidationError("--admin-url: \(error)")
            }
        }
        let runner = ConformanceRunner(settings: settings)
        let json = self.json
        let report: ConformanceReport
        do {
            report = try await runner.run(only: Self.names(only), skip: Self.names(skip)) { result in
                if !json { Self.emit(result.line + "\n") }
            }
        } catch {
            throw ValidationError(error.message)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(report)
            Self.emit(String(decoding: data, as: UTF8.self) + "\n")
        } else {
            Self.emit(report.summaryLine + "\n")
        }
        if !report.succeeded { throw ExitCode(1) }
    }

    private static func names(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
