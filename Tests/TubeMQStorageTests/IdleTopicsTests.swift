import Foundation
import Testing
import TubeMQTestKit

@testable import TubeMQStorage

/// 1,000 open, idle topics (one instance each) must stay cheap: under 150 MB of resident memory
/// and well under 2,500 open files. Measured in a child process (this test binary re-executed),
/// so that tests running in parallel do not disturb the numbers.
@Suite struct IdleTopicsTests {
    static let childKey = "TUBEMQ_STORAGE_IDLE_CHILD"
    static let topicCount = 1000

    @Test func thousandIdleTopicsStayCheap() async throws {
        try await TemporaryDirectory.with("idle") { directory in
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["--testing-library", "swift-testing", "--filter", "idleTopicsChild"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.childKey] = directory.path
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            await child.exited()
            #expect(child.terminationStatus == 0)
            let report = try String(contentsOfFile: directory.path + "/report", encoding: .utf8)
            let values = Dictionary(
                uniqueKeysWithValues: report.split(separator: "\n").compactMap { line -> (String, Int)? in
                    let parts = line.split(separator: "=")
                    guard parts.count == 2, let value = Int(parts[1]) else { return nil }
                    return (String(parts[0]), value)
                }
            )
            let fdsBefore = try #require(values["fdsBefore"])
            let fdsOpen = try #require(values["fdsOpen"])
            let rssBefore = try #require(values["rssBefore"])
            let rssOpen = try #require(values["rssOpen"])
            #expect(values["topics"] == Self.topicCount)
            #expect(fdsOpen < 2500, "open files with 1,000 idle topics: \(fdsOpen)")
            #expect(fdsOpen - fdsBefore < 50, "idle instances hold no segment files (\(fdsBefore) → \(fdsOpen))")
            #expect(rssOpen < 150 << 20, "resident memory with 1,000 idle topics: \(rssOpen >> 20) MB")
            #expect(rssOpen - rssBefore < 100 << 20, "growth: \((rssOpen - rssBefore) >> 20) MB")
        }
    }

    /// The child's side; runs only when re-executed by the test above.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[IdleTopicsTests.childKey] != nil))
    func idleTopicsChild() async throws {
        let path = ProcessInfo.processInfo.environment[Self.childKey] ?? ""
        let directory = TemporaryDirectory(existing: path)
        let fdsBefore = Self.openFileCount()
        let rssBefore = Self.residentBytes()
        let mode = StorageMode(io: .uring, acknowledgement: .memory)
        let store = try await mode.openStore(directory)
        for i in 0..<Self.topicCount {
            let topic = try await store.openTopic(
                "idle-\(i)",
                configuration: TopicConfiguration(storeCount: 1, partitionsPerStore: 3)
            )
            if i % 10 == 0 {
                // Some topics saw traffic once and went idle again.
                _ = try await topic.append([Fixture.message(id: 0, partition: 0)])
                try await topic.flush()
            }
        }
        // Let every flusher finish and go idle.
        for _ in 0..<10 { await Task.yield() }
        try await Task.sleep(for: .milliseconds(200))
        let report = [
            "topics=\(store.topicNames.count)",
            "fdsBefore=\(fdsBefore)", "fdsOpen=\(Self.openFileCount())",
            "rssBefore=\(rssBefore)", "rssOpen=\(Self.residentBytes())",
        ].joined(separator: "\n")
        try report.write(toFile: path + "/report", atomically: true, encoding: .utf8)
        try await store.close()
    }

    static func openFileCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return -1 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return -1 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
