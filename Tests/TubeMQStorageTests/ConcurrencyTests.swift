import Testing
import TubeMQCore

@testable import TubeMQStorage

@Suite struct ConcurrencyTests {
    @Test(arguments: StorageMode.all)
    func concurrentAppendersAndReadersSeeEveryMessageInOrder(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let configuration = mode.topic(partitions: 4, segmentBytes: 32 << 10, memoryBlockBytes: 8 << 10)
            let topic = try await store.openTopic("busy", configuration: configuration)
            let producers = 4
            let batches = 40
            try await withThrowingTaskGroup(of: Void.self) { group in
                for producer in 0..<producers {
                    group.addTask {
                        for batch in 0..<batches {
                            // Producer p owns partition p; ids encode (producer, sequence).
                            let messages = (0..<5).map { i in
                                Fixture.message(
                                    id: Int64(producer * 1_000_000 + batch * 5 + i),
                                    partition: Int32(producer)
                                )
                            }
                            _ = try await topic.append(messages)
                        }
                    }
                }
                group.addTask {
                    // A reader racing the writers never sees a torn or foreign message.
                    for _ in 0..<20 {
                        let read = try await topic.read(ReadRequest(partitionID: 2, offset: 0))
                        read.messages.forEach { Fixture.verify($0, partition: 2) }
                        await Task.yield()
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await topic.offsetRange(partitionID: 0).max == Int64(producers * batches * 5) * 28)
            for producer in 0..<producers {
                let messages = try await Fixture.readAll(topic, partition: Int32(producer))
                #expect(messages.map(\.messageID) == (0..<(batches * 5)).map { Int64(producer * 1_000_000 + $0) })
                messages.forEach { Fixture.verify($0, partition: Int32(producer)) }
            }
            try await store.close()
        }
    }
}
