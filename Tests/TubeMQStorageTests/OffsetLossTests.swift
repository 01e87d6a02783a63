import Foundation
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

/// Consumer offsets when something went wrong: a damaged offset log, a full disk under the log, and
/// a partition that came back shorter than a group's committed offset.
@Suite struct OffsetLossTests {
    /// The keys of the fifteen records ``writeFifteenRecords(_:)`` commits, in log order.
    static let keys = (0..<15).map { OffsetStore.Key(group: "group-\($0)", topic: "t", partitionID: 0) }

    /// Commits one offset for each of ``keys`` (offset 100 × (i + 1)); returns the log's record sizes.
    static func writeFifteenRecords(_ directory: TemporaryDirectory) async throws -> [Int] {
        let store = try await StorageMode(io: .posix, acknowledgement: .memory).openStore(directory)
        for (index, key) in keys.enumerated() {
            try await store.offsets.commit(
                group: key.group,
                topic: key.topic,
                partitionID: key.partitionID,
                offset: Int64(100 * (index + 1))
            )
        }
        try await store.close()
        return keys.enumerated().map { index, key in
            var bytes: [UInt8] = []
            OffsetLogRecord(key: key, offset: Int64(100 * (index + 1))).encode(into: &bytes)
            return bytes.count
        }
    }

    /// Polls `condition` until it holds or `seconds` pass; whether it held.
    static func waitUntil(seconds: Int, _ condition: () -> Bool) async -> Bool {
        for _ in 0..<(seconds * 50) {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    static func logPath(_ directory: TemporaryDirectory) -> String { directory.path + "/offsets/offsets.log" }

    /// Flips one byte of the log at `position`.
    static func flipByte(_ directory: TemporaryDirectory, at position: Int) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: logPath(directory)))
        bytes[position] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: logPath(directory)))
    }

    @Test(arguments: [("body", 20), ("length", 1), ("checksum", 5)])
    func aDamagedRecordLosesOnlyItself(place: String, byte: Int) async throws {
        try await TemporaryDirectory.with("offset-damage") { directory in
            let sizes = try await Self.writeFifteenRecords(directory)
            let damaged = 9
            try Self.flipByte(directory, at: sizes[..<damaged].reduce(0, +) + byte)

            let capture = LogCapture()
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory, logger: capture.logger())
            for (index, key) in Self.keys.enumerated() {
                let offset = await store.offsets.committedOffset(key)
                if index == damaged {
                    #expect(offset == nil, "the damaged record (\(place)) is lost")
                } else {
                    #expect(offset == Int64(100 * (index + 1)), "record \(index) after damage in its \(place) is kept")
                }
            }
            #expect(
                capture.errors.contains { $0.message.contains("damaged records in the consumer offset log") },
                "the damage is reported: \(capture.all.map(\.message))"
            )
            try await store.close()

            // The log was rewritten without the damage: nothing to report the next time.
            let again = LogCapture()
            let reopened = try await mode.openStore(directory, logger: again.logger())
            #expect(again.errors.isEmpty, "\(again.errors.map(\.message))")
            #expect(await reopened.offsets.allCommittedOffsets().count == Self.keys.count - 1)
            try await reopened.close()
        }
    }

    @Test func aTornTailIsCutAndEverythingBeforeItKept() async throws {
        try await TemporaryDirectory.with("offset-torn") { directory in
            let sizes = try await Self.writeFifteenRecords(directory)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: Self.logPath(directory)))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(repeating: 0x33, count: 11))  // part of a record
            try handle.close()

            let capture = LogCapture()
            let store = try await StorageMode(io: .posix, acknowledgement: .memory)
                .openStore(directory, logger: capture.logger())
            #expect(await store.offsets.allCommittedOffsets().count == Self.keys.count)
            #expect(capture.all.contains { $0.message.contains("cut a torn or damaged tail") })
            let size = try FileManager.default.attributesOfItem(atPath: Self.logPath(directory))[.size] as? Int
            #expect(size == sizes.reduce(0, +))
            try await store.close()
        }
    }

    @Test func aGroupBeyondTheEndOfARecoveredPartitionIsMovedBackSoNewMessagesReachIt() async throws {
        try await TemporaryDirectory.with("offset-clamp") { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let configuration = mode.topic(partitions: 2)
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("t", configuration: configuration)
            for id in Int64(0)..<20 { _ = try await topic.append([Fixture.message(id: id, partition: 0, size: 100)]) }
            try await topic.flush()
            let end = try await topic.offsetRange(partitionID: 0).max
            // As after a crash that lost messages acknowledged from memory: the groups had read further.
            try await store.offsets.commit(group: "ahead", topic: "t", partitionID: 0, offset: end + 560)
            try await store.offsets.commit(group: "ahead", topic: "t", partitionID: 1, offset: end)
            try await store.offsets.commit(group: "behind", topic: "t", partitionID: 0, offset: 0)
            try await store.offsets.commit(group: "other", topic: "u", partitionID: 0, offset: end + 560)
            try await store.close()

            let capture = LogCapture()
            let reopened = try await mode.openStore(directory, logger: capture.logger())
            let again = try await reopened.openTopic("t", configuration: configuration)
            let offsets = reopened.offsets
            #expect(await offsets.committedOffset(group: "ahead", topic: "t", partitionID: 0) == end)
            #expect(await offsets.committedOffset(group: "ahead", topic: "t", partitionID: 1) == end)
            #expect(await offsets.committedOffset(group: "behind", topic: "t", partitionID: 0) == 0)
            #expect(
                await offsets.committedOffset(group: "other", topic: "u", partitionID: 0) == end + 560,
                "a topic not opened is left alone"
            )
            #expect(
                capture.all.contains { $0.level == .warning && $0.message.contains("beyond the end of its partition") }
            )

            // The next message takes offset `end` and the group reads it.
            let appended = try await again.append([Fixture.message(id: 99, partition: 0, size: 100)])
            #expect(appended.firstOffset == end)
            let read = try await again.read(ReadRequest(partitionID: 0, offset: end, maxBytes: 1 << 20))
            #expect(read.messages.map(\.messageID) == [99])
            try await reopened.close()

            // The move is durable.
            let third = try await mode.openStore(directory)
            #expect(await third.offsets.committedOffset(group: "ahead", topic: "t", partitionID: 0) == end)
            try await third.close()
        }
    }

    @Test(.enabled(if: FullDiskTests.canMount, "mounting a tmpfs is not permitted here"))
    func offsetsConfirmedWhileTheDiskIsFullAreWrittenOnceSpaceReturns() async throws {
        let directory = TemporaryDirectory("offset-tmpfs")
        defer { directory.remove() }
        #expect(mount("tmpfs", directory.path, "tmpfs", 0, "size=256k") == 0)
        defer { _ = umount2(directory.path, Int32(MNT_DETACH)) }
        let capture = LogCapture()
        let mode = StorageMode(io: .posix, acknowledgement: .memory)
        let store = try await mode.openStore(directory, logger: capture.logger())
        let offsets = store.offsets
        try await offsets.commit(group: "g", topic: "t", partitionID: 0, offset: 28)

        // Fill the device.
        let ballast = directory.path + "/ballast"
        #expect(FileManager.default.createFile(atPath: ballast, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ballast))
        while (try? handle.write(contentsOf: Data(repeating: 1, count: 4096))) != nil {}
        try? handle.close()

        // The log's last page still has room: commit until a write needs a new one.
        var refused: Int64?
        for offset in Int64(56)..<5000 {
            do {
                try await offsets.commit(group: "g", topic: "t", partitionID: 0, offset: offset)
            } catch {
                #expect(error.code == .noSpace, "\(error)")
                refused = offset
                break
            }
        }
        let last = try #require(refused, "the full device refuses a write")
        // A fetch's confirmation meanwhile (written in the background).
        await offsets.setTentativeOffset(group: "g", topic: "t", partitionID: 1, offset: 84)
        _ = await offsets.committedOffset(group: "g", topic: "t", partitionID: 1, confirmingTentative: true)
        #expect(await offsets.committedOffset(group: "g", topic: "t", partitionID: 0) == last, "kept in memory")
        #expect(capture.errors.contains { $0.message.contains("writing consumer offsets failed") })

        try FileManager.default.removeItem(atPath: ballast)
        let retried = await Self.waitUntil(seconds: 5) {
            capture.all.contains { $0.message.contains("consumer offsets written again") }
        }
        #expect(retried, "the retry writes them once space returns")
        try await store.close()

        let reopened = try await mode.openStore(directory)
        #expect(await reopened.offsets.committedOffset(group: "g", topic: "t", partitionID: 0) == last)
        #expect(await reopened.offsets.committedOffset(group: "g", topic: "t", partitionID: 1) == 84)
        try await reopened.close()
    }
}
