import Foundation
import Testing
import TubeMQTestKit

/// A hang-up (the terminal running `tubemq standalone` closed, an ssh session dropped) stops the
/// servers as SIGTERM does: every acknowledged message is flushed first. SIGHUP used to kill the
/// process at once, and the messages still in memory blocks were lost.
@Suite struct HangUpTests {
    @Test func aHungUpStandaloneKeepsWhatItAcknowledged() async throws {
        let directory = ClusterTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = ["--data", directory + "/data"]
        let first = try await StandaloneProcess.start(data, output: directory + "/first.out")
        defer { first.process.signal(SIGKILL) }
        let lines = directory + "/lines"
        try "one\ntwo\nthree\n".write(toFile: lines, atomically: true, encoding: .utf8)
        let produce = try ChildProcess.spawn(
            [ConsumeInterruptTests.binary, "produce", "--master", try #require(first.addresses["master"])]
                + ["--topic", "demo"],
            output: directory + "/produce.out",
            input: lines
        )
        #expect(
            await produce.exit(within: .seconds(30)) == 0,
            "\(ConsumeInterruptTests.text(directory + "/produce.out"))"
        )

        first.process.signal(SIGHUP)
        #expect(await first.process.exit(within: .seconds(15)) == 0, "\(ConsumeInterruptTests.text(first.output))")

        let second = try await StandaloneProcess.start(data, output: directory + "/second.out")
        defer { second.process.signal(SIGKILL) }
        let consume = try ChildProcess.spawn(
            [ConsumeInterruptTests.binary, "consume", "--master", try #require(second.addresses["master"])]
                + ["--topic", "demo", "--group", "g_hangup", "--from", "first", "--max", "3"],
            output: directory + "/consume.out"
        )
        let consumed = await consume.exit(within: .seconds(30))
        if consumed == nil { consume.signal(SIGKILL) }
        #expect(Set(ConsumeInterruptTests.printedBodies(directory + "/consume.out")) == ["one", "two", "three"])
        second.process.signal(SIGTERM)
        _ = await second.process.exit(within: .seconds(15))
    }
}
