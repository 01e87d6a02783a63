import Foundation
import Testing

@testable import TubeMQStorage

/// `committedOffset(confirmingTentative:)`: a confirmation is visible at once and reaches the log in the background.
@Suite struct OffsetStoreConfirmTests {
    @Test func aConfirmationIsVisibleAtOnceAndSurvivesAClose() async throws {
        try await TemporaryDirectory.with("offsets") { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory)
            let offsets = store.offsets
            #expect(
                await offsets.committedOffset(group: "g", topic: "t", partitionID: 1, confirmingTentative: true) == nil
            )
            await offsets.setTentativeOffset(group: "g", topic: "t", partitionID: 1, offset: 140)
            // Without confirming, the fetch reads the same batch again.
            #expect(
                await offsets.committedOffset(group: "g", topic: "t", partitionID: 1, confirmingTentative: false) == nil
            )
            #expect(
                await offsets.committedOffset(group: "g", topic: "t", partitionID: 1, confirmingTentative: true) == 140
            )
            #expect(await offsets.tentativeOffset(group: "g", topic: "t", partitionID: 1) == nil)
            // Confirming again with nothing outstanding keeps the committed offset.
            #expect(
                await offsets.committedOffset(group: "g", topic: "t", partitionID: 1, confirmingTentative: true) == 140
            )
            for round in 2...50 {
                await offsets.setTentativeOffset(group: "g", topic: "t", partitionID: 1, offset: Int64(round * 140))
                _ = await offsets.committedOffset(group: "g", topic: "t", partitionID: 1, confirmingTentative: true)
            }
            try await store.close()
            let reopened = try await mode.openStore(directory)
            #expect(await reopened.offsets.committedOffset(group: "g", topic: "t", partitionID: 1) == 50 * 140)
            try await reopened.close()
        }
    }

    @Test func durableCommitsAndBackgroundConfirmationsInterleave() async throws {
        try await TemporaryDirectory.with("offsets") { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory)
            let offsets = store.offsets
            try await withThrowingTaskGroup(of: Void.self) { group in
                for partition: Int32 in 0..<4 {
                    group.addTask {
                        for round in 1...200 {
                            if partition % 2 == 0 {
                                try await offsets.commit(
                                    group: "g",
                                    topic: "t",
                                    partitionID: partition,
                                    offset: Int64(round)
                                )
                            } else {
                                await offsets.setTentativeOffset(
                                    group: "g",
                                    topic: "t",
                                    partitionID: partition,
                                    offset: Int64(round)
                                )
                                _ = await offsets.committedOffset(
                                    group: "g",
                                    topic: "t",
                                    partitionID: partition,
                                    confirmingTentative: true
                                )
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await store.close()
            let reopened = try await mode.openStore(directory)
            for partition: Int32 in 0..<4 {
                #expect(await reopened.offsets.committedOffset(group: "g", topic: "t", partitionID: partition) == 200)
            }
            try await reopened.close()
        }
    }

    @Test func confirmationsReachTheLogShortlyWithoutAClose() async throws {
        try await TemporaryDirectory.with("offsets") { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory)
            let offsets = store.offsets
            for round in 1...100 {
                await offsets.setTentativeOffset(group: "g", topic: "t", partitionID: 0, offset: Int64(round * 28))
                _ = await offsets.committedOffset(group: "g", topic: "t", partitionID: 0, confirmingTentative: true)
            }
            // What a crash now would find: the log as written so far, read beside the open store.
            let path = directory.path + "/offsets/" + OffsetLog.fileName
            let deadline = ContinuousClock.now + .seconds(10)
            var found: Int64?
            while ContinuousClock.now < deadline {
                found = Self.lastOffset(inLogAt: path)
                if found == 100 * 28 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(found == Int64(100 * 28), "the burst of confirmations was not written within 10 s")
            try await store.close()
        }
    }

    /// The last offset the log at `path` records, read without touching the file.
    private static func lastOffset(inLogAt path: String) -> Int64? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        var last: Int64?
        var position = 0
        bytes.withUnsafeBytes { raw in
            while position < raw.count,
                let (record, length) = OffsetLogRecord.decode(UnsafeRawBufferPointer(rebasing: raw[position...]))
            {
                last = record.offset
                position += length
            }
        }
        return last
    }

}
