import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

@Suite struct AgingTests {
    @Test(arguments: StorageMode.all)
    func deletesSegmentsOlderThanTheRetentionTime(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let clock = ManualClock()
            let store = try await mode.openStore(directory, clock: clock)
            let retention = RetentionPolicy(maxAge: .seconds(3600), maxBytes: nil)
            let configuration = mode.topic(partitions: 1, segmentBytes: 4096, retention: retention)
            let topic = try await store.openTopic("aging", configuration: configuration)
            // Old data: several segments.
            _ = try await topic.append((0..<100).map { Fixture.message(id: $0, partition: 0) })
            try await topic.flush()
            let instance = try topic.instance(forPartition: 0)
            let oldSegments = await instance.segmentCount
            #expect(oldSegments > 2)
            clock.advance(by: 2 * 3600 * 1000)
            // New data: it keeps its segments.
            _ = try await topic.append((100..<110).map { Fixture.message(id: $0, partition: 0) })
            try await topic.flush()
            #expect(await store.enforceRetention() > 0)
            let range = try await topic.offsetRange(partitionID: 0)
            #expect(range.min > 0)
            #expect(range.min <= 100 * 28, "the newest data is kept")
            #expect(range.max == 110 * 28)
            do {
                _ = try await topic.read(ReadRequest(partitionID: 0, offset: 0))
                Issue.record("reading aged data should fail")
            } catch let error as StorageError {
                #expect(error.code == .offsetBelowMinimum)
                #expect(error.offsets == range)
            }
            let remaining = try await Fixture.readAll(topic, partition: 0, from: range.min)
            #expect(remaining.last?.messageID == 109)
            #expect(remaining.first?.offset == range.min)
            remaining.forEach { Fixture.verify($0, partition: 0) }
            // The minimum survives a restart.
            try await store.close()
            let reopened = try await mode.openStore(directory, clock: clock)
            let again = try await reopened.openTopic("aging", configuration: configuration)
            #expect(try await again.offsetRange(partitionID: 0) == range)
            try await reopened.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func deletesTheOldestSegmentsBeyondTheSizeCap(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)
            // Written without a cap (a capped instance applies it at each segment roll), then capped.
            let uncapped = mode.topic(partitions: 1, segmentBytes: 4096)
            let written = try await store.openTopic("capped", configuration: uncapped)
            _ = try await written.append((0..<400).map { Fixture.message(id: $0, partition: 0) })
            try await written.flush()
            var configuration = uncapped
            configuration.retention = RetentionPolicy(maxAge: nil, maxBytes: 20_000)
            let topic = try await store.reconfigureTopic("capped", configuration: configuration)
            try await topic.flush()
            let instance = try topic.instance(forPartition: 0)
            #expect(await instance.diskBytes > 20_000)
            let deleted = try await topic.enforceRetention()
            #expect(deleted > 0)
            #expect(await instance.diskBytes <= 20_000)
            let range = try await topic.offsetRange(partitionID: 0)
            await #expect(throws: StorageError.self) {
                _ = try await topic.read(ReadRequest(partitionID: 0, offset: range.min - 28))
            }
            let remaining = try await Fixture.readAll(topic, partition: 0, from: range.min)
            #expect(remaining.map(\.messageID) == Array(Int64(range.min / 28)..<400))
            #expect(try await topic.enforceRetention() == 0, "a second pass has nothing left to delete")
            try await store.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func theSizeCapActsAsSegmentsCompleteWithoutWaitingForTheSweep(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await mode.openStore(directory)  // no periodic sweep in tests
            let cap: Int64 = 20_000
            let configuration = mode.topic(
                partitions: 1,
                segmentBytes: 4096,
                retention: RetentionPolicy(maxAge: nil, maxBytes: cap)
            )
            let topic = try await store.openTopic("capped", configuration: configuration)
            let instance = try topic.instance(forPartition: 0)
            var largest: Int64 = 0
            for batch in Int64(0)..<40 {
                _ = try await topic.append(
                    (batch * 10..<(batch + 1) * 10).map { Fixture.message(id: $0, partition: 0) }
                )
                try await topic.flush()
                largest = max(largest, await instance.diskBytes)
            }
            // The cap plus the newest segment and one just completed, and the index files beside them.
            #expect(largest <= cap + 3 * 4096, "disk use stays near the cap: at most \(largest) bytes")
            #expect(await instance.segmentCount < 12, "old segments are deleted as new ones begin")
            let range = try await topic.offsetRange(partitionID: 0)
            #expect(range.min > 0)
            let remaining = try await Fixture.readAll(topic, partition: 0, from: range.min)
            #expect(remaining.last?.messageID == 399)
            try await store.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func theSizeCapHoldsAcrossRestartsAndMatchesTheFilesOnDisk(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let cap: Int64 = 24_000
            let retention = RetentionPolicy(maxAge: nil, maxBytes: cap)
            let configuration = mode.topic(partitions: 1, segmentBytes: 4096, retention: retention)
            let folder = directory.path + "/topics/sized/0"
            var total: Int64 = 0
            for round in 0..<4 {
                let store = try await mode.openStore(directory)
                let topic = try await store.openTopic("sized", configuration: configuration)
                let instance = try topic.instance(forPartition: 0)
                _ = try await topic.append((total..<(total + 150)).map { Fixture.message(id: $0, partition: 0) })
                total += 150
                try await topic.flush()
                _ = try await topic.enforceRetention()
                let accounted = await instance.diskBytes
                #expect(accounted <= cap, "round \(round)")
                let range = try await topic.offsetRange(partitionID: 0)
                #expect(range.max == total * 28)
                #expect(range.min > 0)
                let remaining = try await Fixture.readAll(topic, partition: 0, from: range.min)
                #expect(remaining.map(\.messageID) == Array((range.min / 28)..<total), "round \(round)")
                remaining.forEach { Fixture.verify($0, partition: 0) }
                try await store.close()
                // The instance's accounting is what the segment files really occupy (checked once closed:
                // the flusher, which the close joins, may still be deleting what the cap dropped at a roll).
                let onDisk = try FileIO.list(folder).filter { $0.hasSuffix(".data") || $0.hasSuffix(".index") }
                    .reduce(Int64(0)) { $0 + (((try? FileIO.size(ofPath: folder + "/" + $1)) ?? nil) ?? 0) }
                #expect(onDisk == accounted, "round \(round)")
            }
        }
    }

    @Test func neverDeletesTheNewestSegment() async throws {
        try await TemporaryDirectory.with { directory in
            let clock = ManualClock()
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory, clock: clock)
            let configuration = mode.topic(partitions: 1, retention: RetentionPolicy(maxAge: .seconds(1), maxBytes: 1))
            let topic = try await store.openTopic("one", configuration: configuration)
            _ = try await topic.append((0..<10).map { Fixture.message(id: $0, partition: 0) })
            try await topic.flush()
            clock.advance(by: 10_000)
            #expect(try await topic.enforceRetention() == 0)
            #expect(try await Fixture.readAll(topic, partition: 0).count == 10)
            try await store.close()
        }
    }
}
