import Foundation
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

/// A child process appends under the disk policy and records every acknowledged batch; the parent
/// kills it with SIGKILL mid-stream, reopens the store, and checks that every acknowledged
/// message is there, intact.
///
/// The child is this test binary itself, re-executed with ``childKey`` set and a filter that runs
/// only ``crashChildAppends()`` (which is disabled in normal runs).
@Suite struct CrashTests {
    static let childKey = "TUBEMQ_STORAGE_CRASH_CHILD"
    static let batchSize = 8

    @Test(arguments: IOBackend.allCases)
    func acknowledgedMessagesSurviveSIGKILL(io: IOBackend) async throws {
        try await TemporaryDirectory.with("crash") { directory in
            let ackPath = directory.path + "/acks"
            #expect(FileManager.default.createFile(atPath: ackPath, contents: nil))
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["--testing-library", "swift-testing", "--filter", "crashChildAppends"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.childKey] = "\(directory.path)|\(io.rawValue)"
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()

            // Wait until the child has acknowledged a good number of batches (bounded wait).
            var acked = 0
            for _ in 0..<3000 where acked < 150 && child.isRunning {
                try await Task.sleep(for: .milliseconds(20))
                acked = Self.acknowledged(ackPath).count
            }
            let wasRunning = child.isRunning
            kill(child.processIdentifier, SIGKILL)
            await child.exited()
            #expect(wasRunning, "the child should still be appending when killed")
            #expect(child.terminationReason == .uncaughtSignal)
            let acknowledged = Self.acknowledged(ackPath)
            // What matters is that every acknowledged message survives; 20 keeps the check non-vacuous
            // when a loaded machine's fdatasync is slow (the loop above still aims for 150).
            #expect(acknowledged.count >= 20)
            let lastAcked = acknowledged.max() ?? -1

            let mode = StorageMode(io: io, acknowledgement: .disk)
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("crash", configuration: Self.configuration(mode))
            var found: [Int64] = []
            for partition: Int32 in [0, 1] {
                for message in try await Fixture.readAll(topic, partition: partition) {
                    Fixture.verify(message, partition: Int32(message.messageID % 2))
                    found.append(message.messageID)
                }
            }
            found.sort()
            #expect(found == Array(0..<Int64(found.count)), "recovered messages form a gap-free prefix")
            #expect(Int64(found.count) > lastAcked, "every acknowledged message was recovered")
            // The store keeps working after recovery.
            let next = try await topic.append([Fixture.message(id: Int64(found.count), partition: 0)])
            #expect(next.firstOffset == Int64(found.count) * 28)
            try await store.close()
        }
    }

    /// The child's side; runs only when re-executed by the test above.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[CrashTests.childKey] != nil))
    func crashChildAppends() async throws {
        let parts = (ProcessInfo.processInfo.environment[Self.childKey] ?? "").split(separator: "|").map(String.init)
        guard parts.count == 2, let io = IOBackend(rawValue: parts[1]) else { return }
        let directory = TemporaryDirectory(existing: parts[0])
        let mode = StorageMode(io: io, acknowledgement: .disk)
        let store = try await mode.openStore(directory)
        let topic = try await store.openTopic("crash", configuration: Self.configuration(mode))
        let acks = try #require(FileHandle(forWritingAtPath: directory.path + "/acks"))
        var id: Int64 = 0
        for _ in 0..<20_000 {
            let batch = (0..<Self.batchSize).map { i in
                Fixture.message(id: id + Int64(i), partition: Int32((id + Int64(i)) % 2))
            }
            _ = try await topic.append(batch)
            id += Int64(Self.batchSize)
            acks.write(Data("\(id - 1)\n".utf8))
        }
        try await store.close()
    }

    static func configuration(_ mode: StorageMode) -> TopicConfiguration {
        mode.topic(partitions: 2, segmentBytes: 64 << 10, memoryBlockBytes: 16 << 10)
    }

    /// The last message id of every acknowledged batch, as the child wrote them.
    static func acknowledged(_ path: String) -> [Int64] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { Int64($0) }
    }
}
