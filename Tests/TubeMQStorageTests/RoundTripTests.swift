import NIOCore
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

@Suite struct RoundTripTests {
    @Test(arguments: StorageMode.all)
    func appendThenReadReturnsEveryMessage(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("orders", configuration: mode.topic(partitions: 2))
            var appended: [Int32: [Int64]] = [0: [], 1: []]
            for batch in 0..<10 {
                let messages = (0..<20).map { i -> AppendMessage in
                    let id = Int64(batch * 20 + i)
                    let partition = Int32(id % 3 == 0 ? 1 : 0)
                    appended[partition, default: []].append(id)
                    return Fixture.message(id: id, partition: partition)
                }
                let result = try await topic.append(messages)
                #expect(result.firstOffset == Int64(batch * 20) * 28)
                #expect(result.count == 20)
            }
            let range = try await topic.offsetRange(partitionID: 0)
            #expect(range == OffsetRange(min: 0, max: 200 * 28))
            #expect(try await topic.offsetRange(partitionID: 1) == range)
            for partition: Int32 in [0, 1] {
                let messages = try await Fixture.readAll(topic, partition: partition)
                #expect(messages.map(\.messageID) == appended[partition])
                for message in messages {
                    Fixture.verify(message, partition: partition)
                    #expect(message.offset == message.messageID * 28)
                }
            }
            try await store.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func memoryAndDiskReadsReturnTheSameBytes(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("t", configuration: mode.topic(partitions: 1))
            let instance = try topic.instance(forPartition: 0)
            _ = try await topic.append((0..<300).map { Fixture.message(id: $0, partition: 0) })
            if mode.acknowledgement == .memory {
                #expect(await instance.durableOffset == 0, "nothing should be flushed yet")
            }
            let fromMemory = try await Fixture.readAll(topic, partition: 0)
            try await topic.flush()
            #expect(await instance.durableOffset == 300 * 28)
            let fromDisk = try await Fixture.readAll(topic, partition: 0)
            try await store.close()
            let reopened = try await mode.openStore(directory)
            let again = try await reopened.openTopic("t", configuration: mode.topic(partitions: 1))
            let afterRestart = try await Fixture.readAll(again, partition: 0)
            for messages in [fromDisk, afterRestart] {
                #expect(messages.count == fromMemory.count)
                for (a, b) in zip(fromMemory, messages) {
                    #expect(a.messageID == b.messageID)
                    #expect(a.offset == b.offset)
                    #expect(a.flag == b.flag)
                    #expect(a.checksum == b.checksum)
                    #expect(a.appendTime == b.appendTime)
                    #expect(a.payload == b.payload)
                }
            }
            // Appends after a restart continue where the data ends.
            let more = try await again.append((300..<310).map { Fixture.message(id: $0, partition: 0) })
            #expect(more.firstOffset == 300 * 28)
            let all = try await Fixture.readAll(again, partition: 0)
            #expect(all.map(\.messageID) == Array(0..<310))
            all.forEach { Fixture.verify($0, partition: 0) }
            try await reopened.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func filtersByPartitionAndType(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("typed", configuration: mode.topic(partitions: 2))
            let types = ["order", "refund", "audit"].map(\.javaHashCode)
            let messages = (0..<90).map { id in
                Fixture.message(id: Int64(id), partition: Int32(id % 2), typeHash: types[id % 3])
            }
            _ = try await topic.append(messages)
            let wanted: Set<Int32> = [types[0], types[2]]
            let expected = messages.filter { $0.partitionID == 1 && wanted.contains($0.typeHash) }.map(\.messageID)
            // Once from memory (or disk, under the disk policy), once from disk.
            for pass in 0..<2 {
                if pass == 1 { try await topic.flush() }
                let read = try await Fixture.readAll(topic, partition: 1, typeHashes: wanted, maxCount: 7)
                #expect(read.map(\.messageID) == expected)
                #expect(read.allSatisfy { wanted.contains($0.typeHash) && $0.partitionID == 1 })
            }
            try await store.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func nextOffsetAdvancesWhenEverythingIsSkipped(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("sparse", configuration: mode.topic(partitions: 2))
            // 50 messages of partition 0, then one of partition 1 with a type nobody asks for.
            _ = try await topic.append((0..<50).map { Fixture.message(id: $0, partition: 0) })
            _ = try await topic.append([Fixture.message(id: 50, partition: 1, typeHash: 7)])
            for pass in 0..<2 {
                if pass == 1 { try await topic.flush() }
                let other = try await topic.read(ReadRequest(partitionID: 1, offset: 0, maxScanEntries: 20))
                #expect(other.messages.isEmpty)
                #expect(other.nextOffset == 20 * 28, "the scan limit bounds the slice")
                let filtered = try await topic.read(ReadRequest(partitionID: 1, offset: 0, typeHashes: [8]))
                #expect(filtered.messages.isEmpty)
                #expect(filtered.nextOffset == 51 * 28, "skipped entries still advance the offset")
                #expect(filtered.range.max == 51 * 28)
                let caughtUp = try await topic.read(ReadRequest(partitionID: 0, offset: 51 * 28))
                #expect(caughtUp.messages.isEmpty)
                #expect(caughtUp.nextOffset == 51 * 28)
            }
            await #expect(throws: StorageError.self) {
                _ = try await topic.read(ReadRequest(partitionID: 0, offset: 52 * 28))
            }
            await #expect(throws: StorageError.self) {
                _ = try await topic.read(ReadRequest(partitionID: 2, offset: 0))
            }
            try await store.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func byteBudgetAndCountLimitReads(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("budget", configuration: mode.topic(partitions: 1))
            _ = try await topic.append((0..<40).map { Fixture.message(id: $0, partition: 0, size: 1000) })
            for pass in 0..<2 {
                if pass == 1 { try await topic.flush() }
                let bytes = try await topic.read(ReadRequest(partitionID: 0, offset: 0, maxBytes: 3500))
                #expect(bytes.messages.map(\.messageID) == [0, 1, 2])
                #expect(bytes.nextOffset == 3 * 28)
                let tiny = try await topic.read(ReadRequest(partitionID: 0, offset: 28, maxBytes: 10))
                #expect(tiny.messages.map(\.messageID) == [1], "one message is served even above the budget")
                let counted = try await topic.read(ReadRequest(partitionID: 0, offset: 0, maxCount: 5))
                #expect(counted.messages.count == 5)
                #expect(counted.nextOffset == 5 * 28)
            }
            try await store.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func rollsSegmentsAndReadsAcrossThem(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let configuration = mode.topic(partitions: 1, segmentBytes: 8192, memoryBlockBytes: 4096)
            let topic = try await store.openTopic("rolling", configuration: configuration)
            for batch in 0..<20 {
                _ = try await topic.append((0..<10).map { Fixture.message(id: Int64(batch * 10 + $0), partition: 0) })
            }
            try await topic.flush()
            let instance = try topic.instance(forPartition: 0)
            let segments = await instance.segmentCount
            #expect(segments > 3)
            let files = try FileIO.list(directory.path + "/topics/rolling/0").filter { $0.hasSuffix(".data") }
            #expect(files.count == segments)
            let messages = try await Fixture.readAll(topic, partition: 0, maxCount: 33)
            #expect(messages.map(\.messageID) == Array(0..<200))
            messages.forEach { Fixture.verify($0, partition: 0) }
            try await store.close()
            let reopened = try await mode.openStore(directory)
            let again = try await reopened.openTopic("rolling", configuration: configuration)
            #expect(try await Fixture.readAll(again, partition: 0).map(\.messageID) == Array(0..<200))
            #expect(try await again.instance(forPartition: 0).segmentCount == segments)
            try await reopened.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func routesPartitionsToTheirInstances(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("multi", configuration: mode.topic(stores: 3, partitions: 2))
            #expect(topic.partitionIDs == [0, 1, 10000, 10001, 20000, 20001])
            for (i, partition) in topic.partitionIDs.enumerated() {
                _ = try await store.append(
                    topic: "multi",
                    (0..<Int64(i + 1)).map { Fixture.message(id: $0, partition: partition) }
                )
            }
            #expect(try await store.offsetRange(topic: "multi", partitionID: 20001).max == 11 * 28)
            let read = try await store.read(topic: "multi", ReadRequest(partitionID: 10001, offset: 0))
            #expect(read.messages.count == 4)
            await #expect(throws: StorageError.self) {
                _ = try await topic.append([
                    Fixture.message(id: 1, partition: 0), Fixture.message(id: 2, partition: 10000),
                ])
            }
            await #expect(throws: StorageError.self) {
                _ = try await topic.append([Fixture.message(id: 1, partition: 30000)])
            }
            await #expect(throws: StorageError.self) {
                _ = try await store.read(topic: "nope", ReadRequest(partitionID: 0, offset: 0))
            }
            try await store.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func findsOffsetsByTime(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let clock = ManualClock()
            let store = try await mode.openStore(directory, clock: clock)
            let topic = try await store.openTopic("timed", configuration: mode.topic(partitions: 1, segmentBytes: 4096))
            let start = clock.now()
            for batch in 0..<30 {
                _ = try await topic.append((0..<5).map { Fixture.message(id: Int64(batch * 5 + $0), partition: 0) })
                clock.advance(by: 1000)
            }
            for pass in 0..<2 {
                if pass == 1 { try await topic.flush() }
                #expect(try await topic.offset(partitionID: 0, atOrAfterTime: start - 5) == 0)
                #expect(try await topic.offset(partitionID: 0, atOrAfterTime: start + 10_000) == 50 * 28)
                #expect(try await topic.offset(partitionID: 0, atOrAfterTime: start + 10_001) == 55 * 28)
                #expect(try await topic.offset(partitionID: 0, atOrAfterTime: start + 29_000) == 145 * 28)
                #expect(try await topic.offset(partitionID: 0, atOrAfterTime: start + 99_000) == 150 * 28)
            }
            try await store.close()
        }
    }
}
