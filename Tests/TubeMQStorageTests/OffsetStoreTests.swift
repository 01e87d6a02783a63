import Foundation
import Testing

@testable import TubeMQStorage

@Suite struct OffsetStoreTests {
    @Test(arguments: IOBackend.allCases)
    func committedOffsetsSurviveReopen(io: IOBackend) async throws {
        try await TemporaryDirectory.with("offsets") { directory in
            let mode = StorageMode(io: io, acknowledgement: .memory)
            let store = try await mode.openStore(directory)
            try await store.offsets.commit(group: "g1", topic: "t", partitionID: 0, offset: 2996)
            try await store.offsets.commit(group: "g1", topic: "t", partitionID: 10001, offset: 28)
            try await store.offsets.commit(group: "g2", topic: "t", partitionID: 0, offset: 56)
            try await store.offsets.commit(group: "g1", topic: "t", partitionID: 0, offset: 3024)
            await store.offsets.setTentativeOffset(group: "g1", topic: "t", partitionID: 10001, offset: 280)
            #expect(await store.offsets.tentativeOffset(group: "g1", topic: "t", partitionID: 10001) == 280)
            try await store.offsets.removeGroup("g2")
            try await store.close()

            let reopened = try await mode.openStore(directory)
            #expect(await reopened.offsets.committedOffset(group: "g1", topic: "t", partitionID: 0) == 3024)
            #expect(await reopened.offsets.committedOffset(group: "g1", topic: "t", partitionID: 10001) == 28)
            #expect(await reopened.offsets.committedOffset(group: "g2", topic: "t", partitionID: 0) == nil)
            #expect(
                await reopened.offsets.tentativeOffset(group: "g1", topic: "t", partitionID: 10001) == nil,
                "tentative offsets are not persisted"
            )
            try await reopened.close()
        }
    }

    @Test func tentativeOffsetsConfirmAndDiscard() async throws {
        try await TemporaryDirectory.with("offsets") { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory)
            let offsets = store.offsets
            await offsets.setTentativeOffset(group: "g", topic: "t", partitionID: 1, offset: 140)
            #expect(await offsets.committedOffset(group: "g", topic: "t", partitionID: 1) == nil)
            #expect(try await offsets.confirmTentativeOffset(group: "g", topic: "t", partitionID: 1) == 140)
            #expect(await offsets.committedOffset(group: "g", topic: "t", partitionID: 1) == 140)
            await offsets.setTentativeOffset(group: "g", topic: "t", partitionID: 1, offset: 280)
            await offsets.discardTentativeOffset(group: "g", topic: "t", partitionID: 1)
            #expect(try await offsets.confirmTentativeOffset(group: "g", topic: "t", partitionID: 1) == 140)
            await #expect(throws: StorageError.self) {
                try await offsets.commit(group: "g", topic: "t", partitionID: 1, offset: -5)
            }
            try await store.close()
        }
    }

    @Test func concurrentCommitsAndCompactionKeepTheLatestValues() async throws {
        try await TemporaryDirectory.with("offsets") { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory)
            let offsets = store.offsets
            try await withThrowingTaskGroup(of: Void.self) { group in
                for partition in 0..<8 {
                    group.addTask {
                        for round in 1...300 {
                            try await offsets.commit(
                                group: "g",
                                topic: "t",
                                partitionID: Int32(partition),
                                offset: Int64(round * 28)
                            )
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await store.close()
            let log = directory.path + "/offsets/" + OffsetLog.fileName
            let size = try #require(try FileIO.size(ofPath: log))
            #expect(size < 30_000, "the log was compacted (2,400 records would take 62 KB)")
            // A torn record at the end is ignored and truncated.
            let handle = try #require(FileHandle(forWritingAtPath: log))
            handle.seekToEndOfFile()
            handle.write(Data([0x30, 0, 0, 0, 1, 2, 3]))
            handle.closeFile()
            let reopened = try await mode.openStore(directory)
            for partition in 0..<8 {
                #expect(
                    await reopened.offsets.committedOffset(group: "g", topic: "t", partitionID: Int32(partition)) == 300
                        * 28
                )
            }
            #expect(try FileIO.size(ofPath: log) == size)
            try await reopened.close()
        }
    }

    @Test func closeWaitsForCommitsInFlightAndKeepsTheAcknowledgedOnes() async throws {
        try await TemporaryDirectory.with("offsets") { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory)
            let offsets = store.offsets
            let lastAcknowledged = try await withThrowingTaskGroup(of: (Int32, Int64).self) { group in
                for partition: Int32 in 0..<4 {
                    group.addTask {
                        var last: Int64 = -1
                        for round in 1...2000 {
                            do {
                                try await offsets.commit(
                                    group: "g",
                                    topic: "t",
                                    partitionID: partition,
                                    offset: Int64(round)
                                )
                                last = Int64(round)
                            } catch {
                                break  // closed
                            }
                        }
                        return (partition, last)
                    }
                }
                try await Task.sleep(for: .milliseconds(5))
                await offsets.close()
                var result: [Int32: Int64] = [:]
                for try await (partition, last) in group { result[partition] = last }
                return result
            }
            try await store.close()
            let reopened = try await mode.openStore(directory)
            for (partition, last) in lastAcknowledged where last > 0 {
                let committed = await reopened.offsets.committedOffset(group: "g", topic: "t", partitionID: partition)
                #expect((committed ?? -1) >= last, "acknowledged commit \(last) of partition \(partition) was kept")
            }
            try await reopened.close()
        }
    }
}
