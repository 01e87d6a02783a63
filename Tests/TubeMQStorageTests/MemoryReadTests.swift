import Foundation
import NIOCore
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

/// Reads served from a memory block: other partitions' entries skipped, byte budgets honoured, the
/// payloads copied into a buffer of their own size, and a just-written block still served from
/// memory while traffic continues.
@Suite struct MemoryReadTests {
    private static let mode = StorageMode(io: .posix, acknowledgement: .memory)

    @Test func aReadOfOnePartitionSkipsTheOthersInterleavedWithIt() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await Self.mode.openStore(directory)
            let topic = try await store.openTopic("t", configuration: Self.mode.topic(partitions: 3))
            let instance = try topic.instance(forPartition: 1)
            _ = try await topic.append((0..<90).map { Fixture.message(id: $0, partition: Int32($0 % 3)) })
            #expect(await instance.durableOffset == 0, "the read must be served from memory")
            for partition: Int32 in 0..<3 {
                let result = try await topic.read(ReadRequest(partitionID: partition, offset: 0, maxBytes: 512 * 1024))
                let expected = stride(from: Int64(partition), to: 90, by: 3).map { $0 }
                #expect(result.messages.map(\.messageID) == expected)
                result.messages.forEach { Fixture.verify($0, partition: partition) }
                #expect(result.nextOffset == 90 * 28)
            }
            try await store.close()
        }
    }

    @Test func payloadsShareOneBufferOfTheirOwnSize() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await Self.mode.openStore(directory)
            let topic = try await store.openTopic("t", configuration: Self.mode.topic(partitions: 1))
            _ = try await topic.append((0..<10).map { Fixture.message(id: $0, partition: 0, size: 100) })
            let result = try await topic.read(ReadRequest(partitionID: 0, offset: 0, maxBytes: 512 * 1024))
            #expect(result.messages.count == 10)
            for message in result.messages {
                // A fetch of ten 100-byte messages must not keep a transferSize (512 KB) buffer alive.
                #expect(message.payload.storageCapacity < 4096)
                #expect(message.payload.readableBytes == 100)
            }
            try await store.close()
        }
    }

    @Test func aByteBudgetStopsBeforeTheFirstMessageThatDoesNotFit() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await Self.mode.openStore(directory)
            let topic = try await store.openTopic("t", configuration: Self.mode.topic(partitions: 2))
            // Partition 0 gets ids 0, 2, 4, …; partition 1 the odd ones; 100 bytes each.
            _ = try await topic.append((0..<20).map { Fixture.message(id: $0, partition: Int32($0 % 2), size: 100) })
            let first = try await topic.read(ReadRequest(partitionID: 0, offset: 0, maxBytes: 250))
            #expect(first.messages.map(\.messageID) == [0, 2])
            // The next read starts at the message that did not fit, not past it.
            #expect(first.nextOffset == 4 * 28)
            let second = try await topic.read(ReadRequest(partitionID: 0, offset: first.nextOffset, maxBytes: 250))
            #expect(second.messages.map(\.messageID) == [4, 6])
            // The first message is always served, however small the budget.
            let tiny = try await topic.read(ReadRequest(partitionID: 1, offset: 0, maxBytes: 1))
            #expect(tiny.messages.map(\.messageID) == [1])
            #expect(tiny.nextOffset == 2 * 28)
            try await store.close()
        }
    }

    @Test func aJustWrittenBlockIsServedFromMemoryWhileTrafficContinues() async throws {
        try await TemporaryDirectory.with { directory in
            let io = GatedIO()
            let store = try await Self.mode.openStore(directory, io: io)
            let topic = try await store.openTopic("t", configuration: Self.mode.topic(partitions: 1))
            let instance = try topic.instance(forPartition: 0)
            _ = try await topic.append((0..<10).map { Fixture.message(id: $0, partition: 0) })
            // The first ten are being written when the next ten arrive: traffic continues.
            io.close()
            let flush = Task { try await instance.flush() }
            try await eventually("the sync is held at the gate") { io.waiting == 1 }
            _ = try await topic.append((10..<20).map { Fixture.message(id: $0, partition: 0) })
            io.open()
            try await flush.value
            #expect(await instance.writtenOffset == 10 * 28)
            // Were the first ten read from the file, its damage would cost every one of them.
            try Self.spoil(directory.path + "/topics/t/0/" + SegmentName.data(0))
            let messages = try await Fixture.readAll(topic, partition: 0)
            #expect(messages.map(\.messageID) == Array(0..<20))
            messages.forEach { Fixture.verify($0, partition: 0) }
            try await store.close()
        }
    }

    @Test func anIdleInstanceReadsWrittenRecordsFromTheFiles() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await Self.mode.openStore(directory)
            let topic = try await store.openTopic("t", configuration: Self.mode.topic(partitions: 1))
            let instance = try topic.instance(forPartition: 0)
            _ = try await topic.append((0..<10).map { Fixture.message(id: $0, partition: 0) })
            // Nothing arrives during the flush: the instance is idle and keeps no written block.
            try await instance.flush()
            try Self.spoil(directory.path + "/topics/t/0/" + SegmentName.data(0))
            let messages = try await Fixture.readAll(topic, partition: 0)
            #expect(messages.isEmpty, "every record was read from the spoiled file and refused")
            try await store.close()
        }
    }

    /// Overwrites a whole data file with zeros, keeping its size.
    private static func spoil(_ path: String) throws {
        let size = try #require(try FileIO.size(ofPath: path))
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        defer { handle.closeFile() }
        handle.write(Data(repeating: 0, count: Int(size)))
    }
}
