import Foundation
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

/// `MessageStore.reconfigureTopic`: partitions and stores added to an open topic while it serves.
@Suite struct ReconfigureTests {
    @Test(arguments: StorageMode.all)
    func addedPartitionsAndStoresServeBesideTheDataAlreadyThere(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let before = try await store.openTopic("grow", configuration: mode.topic(stores: 1, partitions: 2))
            _ = try await before.append((0..<50).map { Fixture.message(id: $0, partition: 1) })
            #expect(throws: StorageError.self) { try before.instance(forPartition: 2) }

            let after = try await store.reconfigureTopic("grow", configuration: mode.topic(stores: 2, partitions: 3))
            #expect(after.partitionIDs == [0, 1, 2, 10_000, 10_001, 10_002])
            #expect(store.topic("grow") === after)
            #expect(try after.instance(forPartition: 1) === before.instance(forPartition: 1), "not reopened")
            // A request still holding the topic as it was goes on working, and sees the added partition.
            _ = try await before.append((50..<60).map { Fixture.message(id: $0, partition: 2) })
            _ = try await after.append((60..<70).map { Fixture.message(id: $0, partition: 10_002) })
            #expect(try await Fixture.readAll(after, partition: 1).map(\.messageID) == Array(0..<50))
            #expect(try await Fixture.readAll(after, partition: 2).map(\.messageID) == Array(50..<60))
            #expect(try await Fixture.readAll(after, partition: 10_002).map(\.messageID) == Array(60..<70))

            await #expect(throws: StorageError.self) {
                try await store.reconfigureTopic("grow", configuration: mode.topic(stores: 2, partitions: 2))
            }
            try await store.close()

            // The added store and partitions are found again after a restart.
            let reopened = try await mode.openStore(directory)
            let again = try await reopened.openTopic("grow", configuration: mode.topic(stores: 2, partitions: 3))
            #expect(try await Fixture.readAll(again, partition: 2).map(\.messageID) == Array(50..<60))
            #expect(try await Fixture.readAll(again, partition: 10_002).map(\.messageID) == Array(60..<70))
            try await reopened.close()
        }
    }

    @Test func concurrentChangesOfOneTopicRunOneAtATime() async throws {
        let mode = StorageMode.all[0]
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            _ = try await store.openTopic("both", configuration: mode.topic(stores: 1, partitions: 1))
            let wanted = mode.topic(stores: 3, partitions: 2)
            async let first = store.reconfigureTopic("both", configuration: wanted)
            async let second = store.reconfigureTopic("both", configuration: wanted)
            let (a, b) = try await (first, second)
            #expect(a.instances.count == 3)
            #expect(a === b, "the second change found the first one done")
            #expect(store.topic("both") === a)
            try await store.close()
        }
    }

    @Test func aStoreThatCannotBeOpenedLeavesTheTopicAsItWas() async throws {
        let mode = StorageMode.all[0]
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            let before = try await store.openTopic("blocked", configuration: mode.topic(stores: 1, partitions: 1))
            let obstacle = directory.path + "/topics/blocked/1"
            #expect(FileManager.default.createFile(atPath: obstacle, contents: Data("x".utf8)))
            await #expect(throws: StorageError.self) {
                try await store.reconfigureTopic("blocked", configuration: mode.topic(stores: 2, partitions: 2))
            }
            #expect(store.topic("blocked") === before)
            #expect(throws: StorageError.self) { try before.instance(forPartition: 1) }
            try FileManager.default.removeItem(atPath: obstacle)
            let after = try await store.reconfigureTopic("blocked", configuration: mode.topic(stores: 2, partitions: 2))
            #expect(after.partitionIDs == [0, 1, 10_000, 10_001])
            try await store.close()
        }
    }
}
