import Foundation
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

@Suite struct RecoveryTests {
    private func segmentFiles(_ directory: TemporaryDirectory, topic: String, suffix: String) throws -> [String] {
        let path = directory.path + "/topics/\(topic)/0"
        return try FileIO.list(path).filter { $0.hasSuffix(suffix) }.sorted().map { path + "/" + $0 }
    }

    private func fileSize(_ path: String) throws -> Int64 {
        try #require(try FileIO.size(ofPath: path))
    }

    private func truncate(_ path: String, to size: Int64) {
        #expect(Foundation.truncate(path, off_t(size)) == 0)
    }

    @Test(arguments: StorageMode.all)
    func truncatesATornTailAndKeepsEarlierRecords(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let configuration = mode.topic(partitions: 1)
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("torn", configuration: configuration)
            _ = try await topic.append((0..<100).map { Fixture.message(id: $0, partition: 0) })
            try await store.close()

            let data = try #require(try segmentFiles(directory, topic: "torn", suffix: ".data").last)
            truncate(data, to: try fileSize(data) - 30)  // cuts the last record mid-payload

            let reopened = try await mode.openStore(directory)
            let again = try await reopened.openTopic("torn", configuration: configuration)
            #expect(try await again.offsetRange(partitionID: 0) == OffsetRange(min: 0, max: 99 * 28))
            let messages = try await Fixture.readAll(again, partition: 0)
            #expect(messages.map(\.messageID) == Array(0..<99))
            messages.forEach { Fixture.verify($0, partition: 0) }
            let index = try #require(try segmentFiles(directory, topic: "torn", suffix: ".index").last)
            #expect(try fileSize(index) == 99 * 32, "the dangling index entry is dropped")
            let next = try await again.append([Fixture.message(id: 99, partition: 0)])
            #expect(next.firstOffset == 99 * 28, "appends continue at the truncation point")
            #expect(try await Fixture.readAll(again, partition: 0).map(\.messageID) == Array(0..<100))
            try await reopened.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func dropsGarbageAndRebuildsMissingIndexEntries(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let configuration = mode.topic(partitions: 2)
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("rebuild", configuration: configuration)
            _ = try await topic.append((0..<60).map { Fixture.message(id: $0, partition: Int32($0 % 2)) })
            try await store.close()

            let data = try #require(try segmentFiles(directory, topic: "rebuild", suffix: ".data").last)
            let index = try #require(try segmentFiles(directory, topic: "rebuild", suffix: ".index").last)
            truncate(index, to: 25 * 32 + 7)  // the index lost its tail (and part of an entry)
            let handle = try #require(FileHandle(forWritingAtPath: data))
            handle.seekToEndOfFile()
            handle.write(Data(repeating: 0xAB, count: 300))  // a torn write past the last record
            handle.closeFile()

            let reopened = try await mode.openStore(directory)
            let again = try await reopened.openTopic("rebuild", configuration: configuration)
            #expect(try await again.offsetRange(partitionID: 0).max == 60 * 28)
            #expect(try fileSize(index) == 60 * 32)
            for partition: Int32 in [0, 1] {
                let messages = try await Fixture.readAll(again, partition: partition)
                #expect(messages.map(\.messageID) == Array(stride(from: Int64(partition), to: 60, by: 2)))
                messages.forEach { Fixture.verify($0, partition: partition) }
            }
            try await reopened.close()
        }
    }

    @Test(arguments: StorageMode.all)
    func neverServesACorruptRecordOfAnOlderSegment(mode: StorageMode) async throws {
        try await TemporaryDirectory.with { directory in
            let configuration = mode.topic(partitions: 1, segmentBytes: 4096)
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("rot", configuration: configuration)
            _ = try await topic.append((0..<80).map { Fixture.message(id: $0, partition: 0) })
            try await store.close()

            let first = try #require(try segmentFiles(directory, topic: "rot", suffix: ".data").first)
            let handle = try #require(FileHandle(forUpdatingAtPath: first))
            handle.seek(toFileOffset: UInt64(RecordLayout.headerSize + 10))  // inside message 0's payload
            let byte = handle.readData(ofLength: 1)
            handle.seek(toFileOffset: UInt64(RecordLayout.headerSize + 10))
            handle.write(Data([~(byte.first ?? 0)]))
            handle.closeFile()

            let reopened = try await mode.openStore(directory)
            let again = try await reopened.openTopic("rot", configuration: configuration)
            let messages = try await Fixture.readAll(again, partition: 0)
            #expect(messages.map(\.messageID) == Array(1..<80))
            messages.forEach { Fixture.verify($0, partition: 0) }
            try await reopened.close()
        }
    }

    @Test func recoversAnEmptyDirectoryAndAStrayCheckpoint() async throws {
        try await TemporaryDirectory.with { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("empty", configuration: mode.topic())
            #expect(try await topic.offsetRange(partitionID: 0) == OffsetRange(min: 0, max: 0))
            #expect(try await topic.read(ReadRequest(partitionID: 0, offset: 0)).messages.isEmpty)
            try await store.close()
            let reopened = try await mode.openStore(directory)
            let again = try await reopened.openTopic("empty", configuration: mode.topic())
            #expect(try await again.offsetRange(partitionID: 1) == OffsetRange(min: 0, max: 0))
            try await reopened.close()
        }
    }

    @Test func missingSegmentFilesAreReported() async throws {
        try await TemporaryDirectory.with { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .memory)
            let configuration = mode.topic(partitions: 1, segmentBytes: 4096)
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("holes", configuration: configuration)
            _ = try await topic.append((0..<200).map { Fixture.message(id: $0, partition: 0) })
            try await store.close()
            let data = try segmentFiles(directory, topic: "holes", suffix: ".data")
            let index = try segmentFiles(directory, topic: "holes", suffix: ".index")
            #expect(data.count >= 4)
            // A middle segment, then the newest one (named by the clean-close checkpoint).
            for path in [data[1], index[1], data[data.count - 1], index[index.count - 1]] {
                try FileManager.default.removeItem(atPath: path)
            }

            let capture = LogCapture()
            let reopened = try await mode.openStore(directory, logger: capture.logger())
            let again = try await reopened.openTopic("holes", configuration: configuration)
            let messages = capture.errors.map(\.message)
            #expect(messages.contains { $0.contains("segment files are missing") }, "\(messages)")
            #expect(messages.contains { $0.contains("named by the clean-close checkpoint is missing") }, "\(messages)")
            let read = try await Fixture.readAll(again, partition: 0)
            #expect(read.first?.messageID == 0, "the segments that are there are read")
            try await reopened.close()
        }
    }
}
