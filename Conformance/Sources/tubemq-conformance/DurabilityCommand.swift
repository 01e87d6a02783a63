import ArgumentParser
import Foundation
import Logging
import TubeMQConformance

/// `tubemq-conformance durability`: acknowledged means stored, checked by killing a standalone
/// cluster under load and reading everything back.
struct DurabilityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "durability",
        abstract: "Kill (or stop) tubemq standalone under load, restart it, and count acknowledged messages lost.",
        discussion: """
            Starts `tubemq standalone` itself in a temp folder, keeps producers sending, signals the process \
            --kills times (after --load-seconds of acknowledged sends each time) and restarts it, then reads \
            the topic back from the first offset. Reports lost (acknowledged, never read back), duplicated and \
            corrupted messages. Exit status 1 when a message is corrupted, or when one is lost and no loss \
            is allowed (the default with --ack disk or --signal term; see --allow-loss).
            """
    )

    @Option(help: "The tubemq executable.")
    var brokerBinary: String

    @Option(help: "The acknowledgement policy of the topic: memory or disk.")
    var ack = "disk"

    @Option(help: "How many times the process is signalled under load.")
    var kills = 5

    @Option(help: "kill (SIGKILL, a crash) or term (SIGTERM, a clean stop).")
    var signal = "kill"

    @Option(help: "Seconds of acknowledged sends before each signal.")
    var loadSeconds: Double = 2

    @Option(help: "Producer clients.")
    var producers = 2

    @Option(help: "Sends in flight per producer.")
    var inFlight = 16

    @Option(help: "Message size in bytes.")
    var size = 256

    @Flag(help: "Only report lost messages (the default with --ack memory and --signal kill).")
    var allowLoss = false

    @Option(
        help: """
            The first of four consecutive ports for the standalone (master, broker, master web, broker web); \
            free ports when not given.
            """
    )
    var firstPort: Int?

    @Flag(help: "Keep the temp folder with the data and the server's logs.")
    var keep = false

    @Option(help: "Log level of the checker's clients.")
    var logLevel = "critical"

    func validate() throws {
        guard ack == "memory" || ack == "disk" else { throw ValidationError("--ack takes memory or disk") }
        guard signal == "kill" || signal == "term" else { throw ValidationError("--signal takes kill or term") }
        guard kills > 0, loadSeconds > 0, producers > 0, inFlight > 0 else {
            throw ValidationError("counts and times must be positive")
        }
        if let firstPort, !(1...65532).contains(firstPort) {
            throw ValidationError("--first-port takes a port from 1 to 65532 (it uses four from there)")
        }
    }

    func run() async throws {
        var settings = DurabilityChecker.Settings(binary: brokerBinary)
        settings.acknowledgement = ack
        settings.kills = kills
        settings.signal = signal == "kill" ? SIGKILL : SIGTERM
        settings.loadTime = .milliseconds(Int64(loadSeconds * 1000))
        settings.producers = producers
        settings.inFlight = inFlight
        settings.messageSize = size
        settings.keepFolder = keep
        settings.firstPort = firstPort
        settings.logger.logLevel = Logger.Level(rawValue: logLevel) ?? .critical
        let name = "durability (--ack \(ack), \(kills) × \(signal == "kill" ? "kill -9" : "SIGTERM"))"
        let report: DurabilityReport
        do {
            report = try await DurabilityChecker(settings: settings).run { Self.emit("\(name): \($0)\n") }
        } catch {
            throw ValidationError("\(name): \(error)")
        }
        let lossAllowed = allowLoss || (ack == "memory" && signal == "kill")
        Self.emit("\(name): \(report.line)\n")
        let failed = report.corrupted > 0 || report.acknowledged == 0 || (!lossAllowed && report.lost > 0)
        Self.emit("\(name): \(failed ? "FAILED" : "passed")\n")
        if failed { throw ExitCode(1) }
    }

    private static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
