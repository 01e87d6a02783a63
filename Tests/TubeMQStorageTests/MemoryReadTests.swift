import NIOCore
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

/// Reads served from a memory block: other partitions' entries skipped, byte budgets honoured, and
/// the payloads copied into a buffer of their own size.
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
}
