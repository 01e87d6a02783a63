import Logging
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

@Suite struct FlushTests {
    @Test(arguments: IOBackend.allCases)
    func theIntervalFlushReadsTheInjectedClock(io: IOBackend) async throws {
        try await TemporaryDirectory.with { directory in
            let clock = ManualClock()
            let mode = StorageMode(io: io, acknowledgement: .memory)
            let store = try await mode.openStore(directory, clock: clock)
            var configuration = mode.topic(partitions: 1)
            configuration.flush = FlushPolicy(messageThreshold: 0, interval: .seconds(10))
            let topic = try await store.openTopic("interval", configuration: configuration)
            let instance = try topic.instance(forPartition: 0)
            _ = try await topic.append((0..<20).map { Fixture.message(id: $0, partition: 0) })
            try await eventually("the flush timer sleeps") { clock.sleeperCount == 1 }
            clock.advance(by: 9_999)
            #expect(await instance.durableOffset == 0)
            clock.advance(by: 1)
            try await eventually("the interval flush") { await instance.durableOffset == 20 * 28 }
            try await store.close()
        }
    }

    @Test(arguments: IOBackend.allCases)
    func countAndByteThresholdsTriggerFlushes(io: IOBackend) async throws {
        try await TemporaryDirectory.with { directory in
            let mode = StorageMode(io: io, acknowledgement: .memory)
            let store = try await mode.openStore(directory, clock: ManualClock())
            var counted = mode.topic(partitions: 1)
            counted.flush = FlushPolicy(messageThreshold: 100, interval: .seconds(3600))
            let byCount = try await store.openTopic("count", configuration: counted)
            let countInstance = try byCount.instance(forPartition: 0)
            _ = try await byCount.append((0..<99).map { Fixture.message(id: $0, partition: 0) })
            #expect(await countInstance.durableOffset == 0)
            _ = try await byCount.append([Fixture.message(id: 99, partition: 0)])
            try await eventually("the count-triggered flush") { await countInstance.durableOffset == 100 * 28 }

            var sized = mode.topic(partitions: 1)
            sized.flush = FlushPolicy(messageThreshold: 0, byteThreshold: 10_000, interval: .seconds(3600))
            let bySize = try await store.openTopic("bytes", configuration: sized)
            let sizeInstance = try bySize.instance(forPartition: 0)
            _ = try await bySize.append((0..<5).map { Fixture.message(id: $0, partition: 0, size: 1000) })
            #expect(await sizeInstance.durableOffset == 0)
            _ = try await bySize.append((5..<10).map { Fixture.message(id: $0, partition: 0, size: 1000) })
            try await eventually("the byte-triggered flush") { await sizeInstance.durableOffset == 10 * 28 }
            try await store.close()
        }
    }

    @Test(arguments: IOBackend.allCases)
    func fullBlocksAreWrittenOutButSyncedOnlyByATrigger(io: IOBackend) async throws {
        try await TemporaryDirectory.with { directory in
            let mode = StorageMode(io: io, acknowledgement: .memory)
            let store = try await mode.openStore(directory, clock: ManualClock())
            let topic = try await store.openTopic(
                "blocks",
                configuration: mode.topic(partitions: 1, memoryBlockBytes: 2048)
            )
            let instance = try topic.instance(forPartition: 0)
            for id in 0..<60 {
                _ = try await topic.append([Fixture.message(id: Int64(id), partition: 0)])
            }
            // Full blocks go to the files (the page cache) without an fdatasync.
            try await eventually("full blocks are written") { await instance.writtenOffset >= 40 * 28 }
            #expect(await instance.durableOffset == 0)
            let beforeSync = try await Fixture.readAll(topic, partition: 0)
            #expect(beforeSync.map(\.messageID) == Array(0..<60))
            beforeSync.forEach { Fixture.verify($0, partition: 0) }
            try await topic.flush()
            #expect(await instance.durableOffset == 60 * 28)
            #expect(await instance.writtenOffset == 60 * 28)
            try await store.close()
        }
    }

    @Test(arguments: FlushPolicy.Acknowledgement.allCases)
    func aWriteErrorIsKeptAndReportedUntilARetrySucceeds(acknowledgement: FlushPolicy.Acknowledgement) async throws {
        try await TemporaryDirectory.with { directory in
            let clock = ManualClock()
            let io = FailingIO(failures: 2)
            let mode = StorageMode(io: .posix, acknowledgement: acknowledgement)
            let store = try await mode.openStore(directory, clock: clock, io: io)
            let topic = try await store.openTopic("failing", configuration: mode.topic(partitions: 1))
            let instance = try topic.instance(forPartition: 0)
            do {
                _ = try await topic.append((0..<10).map { Fixture.message(id: $0, partition: 0) })
                try await topic.flush()
                Issue.record("the first flush should fail")
            } catch let error as StorageError {
                #expect(error.code == .writeFailed)
                #expect(error.systemErrno == 5)
            }
            await #expect(throws: StorageError.self, "the kept error is reported on the next append") {
                _ = try await topic.append([Fixture.message(id: 10, partition: 0)])
            }
            // The flusher retries after the retry delay, on the injected clock. Under the memory
            // policy the (hour-long) interval timer sleeps on the clock too.
            let sleepers = acknowledgement == .memory ? 2 : 1
            try await eventually("the retry timer") { clock.sleeperCount == sleepers }
            #expect(io.calls == 1)
            clock.advance(by: 1000)
            try await eventually("the second attempt") { io.calls == 2 }
            try await eventually("the next retry timer") { clock.sleeperCount == sleepers }
            clock.advance(by: 1000)
            try await eventually("the retry succeeds") { await instance.durableOffset == 10 * 28 }
            let next = try await topic.append([Fixture.message(id: 10, partition: 0)])
            #expect(next.firstOffset == 10 * 28)
            try await topic.flush()
            let messages = try await Fixture.readAll(topic, partition: 0)
            #expect(messages.map(\.messageID) == Array(0..<11))
            messages.forEach { Fixture.verify($0, partition: 0) }
            try await store.close()
        }
    }

    @Test func closeReportsDataItCouldNotFlush() async throws {
        try await TemporaryDirectory.with { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory, clock: ManualClock(), io: FailingIO(failures: 100))
            let topic = try await store.openTopic("doomed", configuration: mode.topic(partitions: 1))
            _ = try await topic.append([Fixture.message(id: 0, partition: 0)])
            await #expect(throws: StorageError.self) { try await store.close() }
            await #expect(throws: StorageError.self) {
                _ = try await topic.append([Fixture.message(id: 1, partition: 0)])
            }
        }
    }

    @Test func uringFallsBackToPosixWhenUnavailable() throws {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let unavailable = StorageIOFactory.make(.uring, ringCount: 1, logger: logger) { _ in
            .failure(StorageError(code: .writeFailed, message: "io_uring_queue_init failed", systemErrno: 1))
        }
        #expect(unavailable.backend == .posix)
        #expect(StorageIOFactory.make(.posix, ringCount: 1, logger: logger).backend == .posix)
        let real = StorageIOFactory.make(.uring, ringCount: 1, logger: logger)
        if case .success(let probe) = URingIO.make(ringCount: 1) {
            probe.shutdown()
            #expect(real.backend == .uring, "io_uring works on this machine, so it is used")
        } else {
            #expect(real.backend == .posix)
        }
        real.shutdown()
    }

    @Test func rejectsBadConfigurationAndNames() async throws {
        try await TemporaryDirectory.with { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory)
            await #expect(throws: StorageError.self) {
                _ = try await store.openTopic("../escape", configuration: mode.topic())
            }
            await #expect(throws: StorageError.self) {
                _ = try await store.openTopic("ok", configuration: mode.topic(stores: 0))
            }
            let topic = try await store.openTopic("ok", configuration: mode.topic())
            #expect(try await store.openTopic("ok", configuration: mode.topic()) === topic)
            await #expect(throws: StorageError.self) {
                _ = try await store.openTopic("ok", configuration: mode.topic(stores: 2))
            }
            await #expect(throws: StorageError.self) {
                _ = try await topic.append([Fixture.message(id: 0, partition: 0, size: 21 << 20)])
            }
            try await store.closeTopic("ok")
            #expect(store.topic("ok") == nil)
            try await store.close()
            await #expect(throws: StorageError.self) {
                _ = try await store.openTopic("late", configuration: mode.topic())
            }
        }
    }
}
