import Foundation
import Testing
import TubeMQTestKit

/// A send that fails ends `tubemq bench` with the table of what was acknowledged before it and the
/// error, exit status 1; it printed only the error (a full disk's 500 left no count to compare with).
@Suite struct BenchFailureTests {
    @Test func aFailedSendEndsTheRunWithItsTable() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let standalone = try await StandaloneProcess.start(
            ["--data", directory + "/data"],
            output: directory + "/sa.out"
        )
        defer { standalone.process.signal(SIGKILL) }
        let master = try #require(standalone.addresses["master"])
        let log = directory + "/bench.out"
        // Larger than the topic's limit (1 MiB and the attribute allowance): refused before it is sent.
        let bench = try ChildProcess.spawn(
            [ConsumeInterruptTests.binary, "bench", "--master", master, "--producers", "1", "--consumers", "0"]
                + ["--size", "2000000", "--count", "10"],
            output: log
        )
        let status = await bench.exit(within: .seconds(60))
        if status == nil { bench.signal(SIGKILL) }
        let text = ConsumeInterruptTests.text(log)
        #expect(status == 1, "\(text)")
        #expect(text.contains("stopped at a failed send"), "\(text)")
        #expect(text.contains("produce "), "the table is printed: \(text)")
        #expect(text.contains("Error:"), "\(text)")
        standalone.process.signal(SIGTERM)
        _ = await standalone.process.exit(within: .seconds(30))
    }
}
