import Glibc
import Synchronization
import Testing
import TubeMQCore

@testable import TubeMQStorage

/// The disk acknowledgement: an append returns only after its data and index are synced, and
/// the appends waiting meanwhile share one write and one sync (group commit).
@Suite struct DurabilityTests {
    @Test func aDiskAppendIsAcknowledgedOnlyAfterDataAndIndexAreSynced() async throws {
        try await TemporaryDirectory.with { directory in
            let io = GatedIO()
            let mode = StorageMode(io: .posix, acknowledgement: .disk)
            let store = try await mode.openStore(directory, io: io)
            let topic = try await store.openTopic("acked", configuration: mode.topic(partitions: 1))
            let instance = try topic.instance(forPartition: 0)
            io.close()
            let acknowledged = Atomic<Bool>(false)
            let append = Task {
                let result = try await topic.append((0..<5).map { Fixture.message(id: $0, partition: 0) })
                acknowledged.store(true, ordering: .sequentiallyConsistent)
                return result
            }
            try await eventually("the sync is held at the gate") { io.waiting == 1 }
            // Written to the files, not yet synced: the append must still be waiting.
            try await Task.sleep(for: .milliseconds(50))
            let early = acknowledged.load(ordering: .sequentiallyConsistent)
            #expect(!early, "acknowledged before the sync completed")
            #expect(await instance.durableOffset == 0)
            #expect(await instance.writtenOffset == 0, "the written watermark moves only when the job completes")
            io.open()
            let result = try await append.value
            let late = acknowledged.load(ordering: .sequentiallyConsistent)
            #expect(late)
            #expect(result.firstOffset == 0 && result.count == 5)
            #expect(await instance.durableOffset == 5 * 28)
            let synced = try #require(io.flushes.last).syncedPaths
            #expect(synced.contains { $0.hasSuffix(".data") }, "the data file is synced")
            #expect(synced.contains { $0.hasSuffix(".index") }, "the index file is synced")
            try await store.close()
        }
    }

    @Test func waitingDiskAppendsShareOneWriteAndOneSync() async throws {
        try await TemporaryDirectory.with { directory in
            let io = GatedIO()
            let mode = StorageMode(io: .posix, acknowledgement: .disk)
            let store = try await mode.openStore(directory, io: io)
            let topic = try await store.openTopic("group", configuration: mode.topic(partitions: 2))
            let instance = try topic.instance(forPartition: 0)
            io.close()
            let first = Task { try await topic.append([Fixture.message(id: 0, partition: 0)]) }
            try await eventually("the first sync is held") { io.waiting == 1 }
            // Twenty appenders arrive while that sync runs.
            let others = (1...20).map { id in
                Task { try await topic.append([Fixture.message(id: Int64(id), partition: Int32(id % 2))]) }
            }
            try await eventually("all twenty are appended") { await instance.offsetRange.max == 21 * 28 }
            io.open()
            _ = try await first.value
            for task in others { _ = try await task.value }
            let statistics = await instance.flushStatistics
            #expect(statistics.syncs == 2)
            #expect(statistics.recentMessagesPerSync == [1, 20])
            #expect(statistics.medianMessagesPerSync == 10.5)
            #expect(io.flushes.count == 2, "one write job for the twenty")
            for partition: Int32 in [0, 1] {
                let messages = try await Fixture.readAll(topic, partition: partition)
                #expect(messages.count == (partition == 0 ? 11 : 10))
                messages.forEach { Fixture.verify($0, partition: partition) }
            }
            try await store.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func concurrentDiskAppendsNeedFewerSyncsThanBatches(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("many", configuration: mode.topic(partitions: 2))
            let instance = try topic.instance(forPartition: 0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for i in 0..<25 {
                            let id = Int64(writer * 25 + i)
                            _ = try await topic.append([Fixture.message(id: id, partition: Int32(id % 2))])
                        }
                    }
                }
                try await group.waitForAll()
            }
            if mode.acknowledgement == .memory { try await topic.flush() }
            let statistics = await instance.flushStatistics
            #expect(statistics.syncedMessages == 200)
            if mode.acknowledgement == .disk {
                // Eight appenders, each waiting for its sync: after the first, syncs carry several.
                #expect(statistics.syncs < 200)
            }
            try await store.close()
        }
    }
}
