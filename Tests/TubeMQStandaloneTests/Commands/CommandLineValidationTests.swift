import Foundation
import Testing
import TubeMQTestKit

/// Bad numbers on the command line are refused before anything starts, with a usage error (exit 64)
/// naming the option. A negative number used to be read as an option ("Missing value for
/// '--count'"), and `bench --in-flight 0` or a negative `--size` went on to run.
@Suite struct CommandLineValidationTests {
    @Test(arguments: [
        (["produce", "--topic", "demo", "--count", "-5"], "--count must be at least 1, got -5"),
        (["produce", "--topic", "demo", "--count", "0"], "--count must be at least 1, got 0"),
        (["produce", "--topic", "demo", "--count", "1", "--size", "0"], "--size must be at least 1"),
        (["bench", "--in-flight", "0"], "--in-flight must be at least 1, got 0"),
        (["bench", "--size", "-100"], "--size must be at least 1, got -100"),
        (["bench", "--count", "-1"], "--count must be at least 1, got -1"),
        (["bench", "--duration", "-2"], "--duration must be more than 0"),
        (["bench", "--fetch-wait-ms", "-1"], "--fetch-wait-ms must not be negative"),
        (["consume", "--topic", "demo", "--group", "g", "--max", "-3"], "--max must be at least 1, got -3"),
        (["standalone", "--balance-period-ms", "-1"], "--balance-period-ms must not be negative"),
        (["standalone", "--retention-bytes", "-1"], "--retention-bytes must not be negative"),
        (["standalone", "--master-port", "-1"], "--master-port must be 0…65535"),
        (["admin", "top", "--interval", "-1"], "--interval must be > 0"),
        // Not a number, but refused the same way: a type longer than a filter item may be.
        (
            ["produce", "--topic", "demo", "--count", "1", "--type", String(repeating: "t", count: 300)],
            "no consumer could filter on it"
        ),
    ])
    func aBadNumberIsAUsageError(arguments: [String], expected: String) async throws {
        let output = ClusterTestSupport.temporaryDirectory() + ".out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = try ChildProcess.spawn([ConsumeInterruptTests.binary] + arguments, output: output)
        let status = await process.exit(within: .seconds(20))
        if status == nil { process.signal(SIGKILL) }
        let text = ConsumeInterruptTests.text(output)
        #expect(status == 64, "\(arguments): exit \(String(describing: status)): \(text)")
        #expect(text.contains(expected), "\(arguments): \(text)")
        #expect(!text.contains("Missing value"), "\(arguments): \(text)")
    }

    /// A data folder that cannot be made is not a usage error: the command says why and exits 1
    /// (it printed "cannot write …/webapi.token" with no reason, then the usage text, and exit 64).
    @Test func aDataFolderThatCannotBeMadeSaysWhy() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "".write(toFile: directory + "/file", atomically: true, encoding: .utf8)
        let output = directory + "/standalone.out"
        let process = try ChildProcess.spawn(
            [ConsumeInterruptTests.binary, "standalone", "--data", directory + "/file/data", "--master-port", "0"],
            output: output
        )
        let status = await process.exit(within: .seconds(20))
        if status == nil { process.signal(SIGKILL) }
        let text = ConsumeInterruptTests.text(output)
        #expect(status == 1, "exit \(String(describing: status)): \(text)")
        #expect(
            text.contains("cannot create the folder \(directory)/file/data: \(directory)/file is not a folder"),
            "\(text)"
        )
        #expect(!text.contains("Usage:"), "\(text)")
    }

    /// The same for `tubemq-broker` with a `primaryPath` it cannot make: it printed "cannot write
    /// …/webapi.token" with no reason, the usage text, and exit 64.
    @Test func aBrokerDataFolderThatCannotBeMadeSaysWhy() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "".write(toFile: directory + "/file", atomically: true, encoding: .utf8)
        let ini = directory + "/broker.ini"
        try await ClusterTestSupport.writeBrokerINI(
            ini,
            id: 1,
            port: try await unusedPort(),
            masterPort: try await unusedPort(),
            data: directory + "/file/broker"
        )
        let binary = URL(fileURLWithPath: ConsumeInterruptTests.binary).deletingLastPathComponent()
            .appendingPathComponent("tubemq-broker").path
        let output = directory + "/broker.out"
        let process = try ChildProcess.spawn([binary, "--config", ini], output: output)
        let status = await process.exit(within: .seconds(20))
        if status == nil { process.signal(SIGKILL) }
        let text = ConsumeInterruptTests.text(output)
        #expect(status == 1, "exit \(String(describing: status)): \(text)")
        #expect(text.contains("\(directory)/file is not a folder"), "\(text)")
        #expect(!text.contains("Usage:"), "\(text)")
    }
}
