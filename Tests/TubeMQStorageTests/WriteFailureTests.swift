import Glibc
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

/// Write errors (injected ENOSPC) stop acknowledgements at once, under both policies, until a
/// background retry succeeds; nothing acknowledged before is lost.
@Suite struct WriteFailureTests {
    @Test(arguments: FlushPolicy.Acknowledgement.allCases)
    func noSpaceStopsAcknowledgementsUntilARetrySucceeds(acknowledgement: FlushPolicy.Acknowledgement) async throws {
        try await TemporaryDirectory.with { directory in
            let clock = ManualClock()
            let io = FailingIO(failures: 0, errno: ENOSPC)
            let mode = StorageMode(io: .posix, acknowledgement: acknowledgement)
            let store = try await mode.openStore(directory, clock: clock, io: io)
            let topic = try await store.openTopic("full", configuration: mode.topic(partitions: 1))
            let instance = try topic.instance(forPartition: 0)
            _ = try await topic.append((0..<10).map { Fixture.message(id: $0, partition: 0) })
            try await topic.flush()
            #expect(instance.isWritable)

            io.failAll(true)
            let batch = (10..<15).map { Fixture.message(id: $0, partition: 0) }
            do {
                if acknowledgement == .memory {
                    _ = try await topic.append(batch)  // acknowledged from memory, as the policy says
                    try await topic.flush()
                } else {
                    _ = try await topic.append(batch)
                }
                Issue.record("the write should fail")
            } catch let error as StorageError {
                #expect(error.code == .noSpace)
                #expect(error.systemErrno == ENOSPC)
                #expect(error.message.contains("no space left on device"), "\(error.message)")
                if acknowledgement == .disk {
                    // Appended and waiting for its sync: kept, and written by the retry.
                    #expect(error.message.contains("will be written when the write succeeds"), "\(error.message)")
                }
            }
            #expect(!instance.isWritable)
            #expect(!topic.isWritable)
            #expect(store.unwritableTopics == ["full"])
            if acknowledgement == .disk {
                // Refused to its producer and not on disk: not handed to a consumer either (it could
                // still be lost, and a consumer would have processed a message that never was).
                let pending = try await topic.read(
                    ReadRequest(partitionID: 0, offset: 10 * 28, maxBytes: 1 << 20, maxCount: 100)
                )
                #expect(pending.messages.isEmpty && pending.nextOffset == 10 * 28)
            }
            let failure = await instance.writeFailure
            #expect(failure?.code == .noSpace)
            #expect(failure?.systemErrno == ENOSPC)
            // From now on nothing is appended, so nothing is acknowledged.
            let before = await instance.offsetRange
            for id in 15..<20 {
                await #expect(throws: StorageError.self) {
                    _ = try await topic.append([Fixture.message(id: Int64(id), partition: 0)])
                }
            }
            #expect(await instance.offsetRange == before)
            await #expect(throws: StorageError.self, "flush fails at once instead of waiting for the retry") {
                try await topic.flush()
            }

            // Space comes back: the background retry succeeds and appends are accepted again.
            io.failAll(false)
            try await eventually("the retry succeeds") {
                clock.advance(by: 1000)
                return instance.isWritable
            }
            #expect(await instance.writeFailure == nil)
            #expect(store.unwritableTopics.isEmpty)
            let next = try await topic.append([Fixture.message(id: 15, partition: 0)])
            #expect(next.firstOffset == 15 * 28)
            try await topic.flush()
            let messages = try await Fixture.readAll(topic, partition: 0)
            // The batch that was refused under the disk policy stayed queued and was written by the retry.
            #expect(messages.map(\.messageID) == Array(0..<16))
            messages.forEach { Fixture.verify($0, partition: 0) }
            let statistics = await instance.flushStatistics
            #expect(statistics.failedJobs >= 1)
            try await store.close()

            let reopened = try await mode.openStore(directory, clock: clock)
            let again = try await reopened.openTopic("full", configuration: mode.topic(partitions: 1))
            #expect(try await Fixture.readAll(again, partition: 0).map(\.messageID) == Array(0..<16))
            try await reopened.close()
        }
    }

    /// A store that acknowledges from disk closes without an error when messages are left unwritten:
    /// their producers were told the write failed, so nothing acknowledged is lost (the broker said
    /// it stopped "without writing every acknowledged message" and exited 1).
    @Test func aDiskAcknowledgedStoreClosesCleanlyWithRefusedMessagesUnwritten() async throws {
        try await TemporaryDirectory.with { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .disk)
            let io = FailingIO(failures: 0, errno: ENOSPC)
            let store = try await mode.openStore(directory, clock: ManualClock(), io: io)
            let topic = try await store.openTopic("refused", configuration: mode.topic(partitions: 1))
            _ = try await topic.append((0..<2).map { Fixture.message(id: $0, partition: 0) })
            io.failAll(true)
            await #expect(throws: StorageError.self) {
                _ = try await topic.append([Fixture.message(id: 2, partition: 0)])
            }
            try await store.close()
            let reopened = try await mode.openStore(directory, clock: ManualClock())
            let again = try await reopened.openTopic("refused", configuration: mode.topic(partitions: 1))
            #expect(try await Fixture.readAll(again, partition: 0).map(\.messageID) == [0, 1])
            try await reopened.close()
        }
    }

    @Test func aCleanCloseThatCannotFlushSaysHowManyMessagesWereNotWritten() async throws {
        try await TemporaryDirectory.with { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let io = FailingIO(failures: 0, errno: ENOSPC)
            let store = try await mode.openStore(directory, clock: ManualClock(), io: io)
            let topic = try await store.openTopic("doomed", configuration: mode.topic(partitions: 1))
            io.failAll(true)
            _ = try await topic.append((0..<3).map { Fixture.message(id: $0, partition: 0) })
            do throws(StorageError) {
                try await store.close()
                Issue.record("close should report the messages it could not write")
            } catch {
                #expect(error.code == .noSpace)
                #expect(error.systemErrno == ENOSPC)
                #expect(error.message.contains("3 messages not written"), "\(error.message)")
                #expect(error.message.contains("no space left on device"), "\(error.message)")
            }
        }
    }
}
