import Foundation
import Testing
import TubeMQCore
import TubeMQTestKit

@testable import TubeMQStorage

/// Recovery discards only what is provably damaged: bytes flipped in the middle of the newest
/// data segment, each field of an index entry damaged in turn, and a cut tail; each with a clean-
/// close checkpoint and without one. Every intact message is still served, and every damaged range
/// is logged as an error.
@Suite struct DamageRecoveryTests {
    static let count: Int64 = 100
    static let victim: Int64 = 50

    /// Ways to damage the data file around record ``victim``.
    enum DataDamage: String, CaseIterable {
        /// Four bytes in the middle of the payload.
        case payload
        /// Four bytes of the header (its entry number).
        case header
        /// The header and the record's index entry: the next record must be found by searching.
        case headerAndIndex
        /// Four bytes across the boundary of the record before and the victim's header.
        case acrossRecords
    }

    /// The fields of an index entry, by byte range.
    static let indexFields: [(name: String, range: Range<Int>)] = [
        ("partition id", 0..<4), ("type hash", 4..<8), ("position", 8..<16), ("append time", 16..<24),
        ("record length", 24..<28), ("crc", 28..<32),
    ]

    @Test(arguments: StorageMode.all, [true, false])
    func flippedDataBytesLoseOnlyTheDamagedRecords(mode: StorageMode, checkpoint: Bool) async throws {
        for damage in DataDamage.allCases {
            try await TemporaryDirectory.with { directory in
                let files = try await Self.prepare(directory, mode: mode, checkpoint: checkpoint)
                let victim = try Self.indexEntry(files.index, Self.victim)
                let before = try Self.indexEntry(files.index, Self.victim - 1)
                var lost: Set<Int64> = [Self.victim]
                var range = (position: victim.position, bytes: Int64(victim.recordLength))
                switch damage {
                case .payload:
                    Self.flip(files.data, at: victim.position + Int64(victim.recordLength / 2), count: 4)
                case .header:
                    Self.flip(files.data, at: victim.position + 8, count: 4)
                case .headerAndIndex:
                    Self.flip(files.data, at: victim.position + 8, count: 4)
                    Self.flip(files.index, at: Self.victim * 32 + 8, count: 4)
                case .acrossRecords:
                    Self.flip(files.data, at: victim.position - 2, count: 4)
                    lost.insert(Self.victim - 1)
                    range = (before.position, Int64(before.recordLength + victim.recordLength))
                }
                let logs = LogCapture()
                let store = try await mode.openStore(directory, logger: logs.logger())
                let topic = try await store.openTopic("damaged", configuration: Self.configuration(mode))
                try await Self.expectServed(topic, except: lost, "\(damage)")
                // One error per damaged range (two damaged records side by side may be two ranges).
                let skipped = logs.errors.filter { $0.message.hasPrefix("skipped a damaged record range") }
                #expect(!skipped.isEmpty, "\(damage): \(logs.errors.map(\.message))")
                #expect(skipped.first?.metadata["tubemq.position"] == "\(range.position)", "\(damage)")
                let bytes = skipped.compactMap { $0.metadata["tubemq.bytes"].flatMap { Int64($0) } }.reduce(0, +)
                let entries = skipped.compactMap { $0.metadata["tubemq.entries"].flatMap { Int($0) } }.reduce(0, +)
                #expect(bytes == range.bytes, "\(damage): only the damaged records' bytes are skipped")
                #expect(entries == lost.count, "\(damage)")
                #expect(!logs.all.contains { $0.message.hasPrefix("truncated") }, "\(damage): nothing is truncated")
                #expect(
                    try FileIO.size(ofPath: files.data) == files.dataSize,
                    "\(damage): the data file keeps its bytes"
                )
                // Appends continue after the last record; offsets of later messages did not move.
                let next = try await topic.append([Fixture.message(id: Self.count, partition: 0)])
                #expect(next.firstOffset == Self.count * 28)
                try await store.close()

                // A second recovery finds the same ranges, already tombstoned: nothing new to report.
                let quiet = LogCapture()
                let reopened = try await mode.openStore(directory, logger: quiet.logger())
                let again = try await reopened.openTopic("damaged", configuration: Self.configuration(mode))
                try await Self.expectServed(again, except: lost, extra: [Self.count], "\(damage) after reopening")
                #expect(quiet.errors.isEmpty, "\(damage): \(quiet.errors.map(\.message))")
                try await reopened.close()
            }
        }
    }

    @Test(arguments: StorageMode.all, [true, false])
    func everyDamagedIndexFieldIsRebuiltFromTheData(mode: StorageMode, checkpoint: Bool) async throws {
        for field in Self.indexFields {
            try await TemporaryDirectory.with { directory in
                let files = try await Self.prepare(directory, mode: mode, checkpoint: checkpoint)
                Self.flip(files.index, at: Self.victim * 32 + Int64(field.range.lowerBound), count: 1)
                let logs = LogCapture()
                let store = try await mode.openStore(directory, logger: logs.logger())
                let topic = try await store.openTopic("damaged", configuration: Self.configuration(mode))
                try await Self.expectServed(topic, except: [], field.name)
                let rebuilt = logs.errors.filter { $0.message.hasPrefix("rebuilt index entries") }
                #expect(
                    rebuilt.first?.metadata["tubemq.entries"] == "1",
                    "\(field.name): \(logs.errors.map(\.message))"
                )
                #expect(rebuilt.first?.metadata["tubemq.firstEntry"] == "\(Self.victim)", "\(field.name)")
                #expect(
                    try Self.indexEntry(files.index, Self.victim) == files.victimEntry,
                    "\(field.name): rebuilt exactly"
                )
                try await store.close()
            }
        }
    }

    @Test(arguments: StorageMode.all, [true, false])
    func aWrongButWellFormedIndexEntryIsRebuilt(mode: StorageMode, checkpoint: Bool) async throws {
        try await TemporaryDirectory.with { directory in
            let files = try await Self.prepare(directory, mode: mode, checkpoint: checkpoint)
            // The victim's entry claims the other partition, with a valid CRC.
            var forged = files.victimEntry
            forged.partitionID = 1 - forged.partitionID
            var bytes = [UInt8](repeating: 0, count: 32)
            bytes.withUnsafeMutableBytes { raw in if let base = raw.baseAddress { forged.write(to: base) } }
            try Self.write(files.index, bytes, at: Self.victim * 32)
            let logs = LogCapture()
            let store = try await mode.openStore(directory, logger: logs.logger())
            let topic = try await store.openTopic("damaged", configuration: Self.configuration(mode))
            try await Self.expectServed(topic, except: [], "forged partition")
            #expect(logs.errors.contains { $0.message.hasPrefix("rebuilt index entries") })
            try await store.close()
        }
    }

    @Test(arguments: StorageMode.all, [true, false])
    func aCutTailLosesOnlyTheIncompleteLastRecord(mode: StorageMode, checkpoint: Bool) async throws {
        try await TemporaryDirectory.with { directory in
            let files = try await Self.prepare(directory, mode: mode, checkpoint: checkpoint)
            let last = try Self.indexEntry(files.index, Self.count - 1)
            #expect(truncate(files.data, off_t(files.dataSize - 30)) == 0)
            let logs = LogCapture()
            let store = try await mode.openStore(directory, logger: logs.logger())
            let topic = try await store.openTopic("damaged", configuration: Self.configuration(mode))
            try await Self.expectServed(topic, except: [Self.count - 1], "cut tail")
            let truncated = logs.errors.filter { $0.message.hasPrefix("truncated a torn tail") }
            #expect(truncated.count == 1, "\(logs.errors.map(\.message))")
            #expect(truncated.first?.metadata["tubemq.position"] == "\(last.position)")
            #expect(truncated.first?.metadata["tubemq.bytes"] == "\(last.recordLength - 30)")
            #expect(logs.errors.contains { $0.message.hasPrefix("dropped index entries") })
            #expect(try FileIO.size(ofPath: files.index) == (Self.count - 1) * 32)
            let next = try await topic.append([
                Fixture.message(id: Self.count - 1, partition: Int32((Self.count - 1) % 2))
            ])
            #expect(next.firstOffset == (Self.count - 1) * 28, "appends continue at the cut")
            try await store.close()
        }
    }

    @Test(arguments: [true, false])
    func aDamagedIndexOfAnOlderSegmentIsRebuilt(checkpoint: Bool) async throws {
        try await TemporaryDirectory.with { directory in
            let mode = StorageMode(io: .posix, acknowledgement: .disk)
            let configuration = mode.topic(partitions: 2, segmentBytes: 4096)
            let store = try await mode.openStore(directory)
            let topic = try await store.openTopic("older", configuration: configuration)
            _ = try await topic.append((0..<Self.count).map { Fixture.message(id: $0, partition: Int32($0 % 2)) })
            try await store.close()
            let folder = directory.path + "/topics/older/0/"
            let oldest = folder + (try FileIO.list(folder).filter { $0.hasSuffix(".index") }.sorted().first ?? "")
            if !checkpoint { try FileIO.remove(folder + SegmentName.checkpoint) }
            Self.flip(oldest, at: 2 * 32 + 1, count: 1)  // entry 2's partition id
            let logs = LogCapture()
            let reopened = try await mode.openStore(directory, logger: logs.logger())
            let again = try await reopened.openTopic("older", configuration: configuration)
            try await Self.expectServed(again, except: [], "older segment")
            #expect(logs.errors.contains { $0.message.hasPrefix("an older segment's index disagrees") })
            #expect(logs.errors.contains { $0.message.hasPrefix("rebuilt index entries") })
            try await reopened.close()
        }
    }

    // MARK: helpers

    struct Files {
        let data: String
        let index: String
        let dataSize: Int64
        let victimEntry: IndexEntry
    }

    static func configuration(_ mode: StorageMode) -> TopicConfiguration {
        mode.topic(partitions: 2)
    }

    /// Writes ``count`` messages to one segment and closes the store (removing the checkpoint
    /// when `checkpoint` is false, as after a crash).
    static func prepare(_ directory: TemporaryDirectory, mode: StorageMode, checkpoint: Bool) async throws -> Files {
        let store = try await mode.openStore(directory)
        let topic = try await store.openTopic("damaged", configuration: configuration(mode))
        _ = try await topic.append((0..<count).map { Fixture.message(id: $0, partition: Int32($0 % 2)) })
        try await store.close()
        let folder = directory.path + "/topics/damaged/0/"
        #expect(FileManager.default.fileExists(atPath: folder + SegmentName.checkpoint))
        if !checkpoint { try FileIO.remove(folder + SegmentName.checkpoint) }
        let data = folder + SegmentName.data(0)
        let index = folder + SegmentName.index(0)
        return Files(
            data: data,
            index: index,
            dataSize: try #require(try FileIO.size(ofPath: data)),
            victimEntry: try indexEntry(index, victim)
        )
    }

    /// Every message but `lost` (plus `extra`) is served, intact, from both partitions.
    static func expectServed(
        _ topic: TopicStore,
        except lost: Set<Int64>,
        extra: [Int64] = [],
        _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for partition: Int32 in [0, 1] {
            let messages = try await Fixture.readAll(topic, partition: partition)
            let expected = (Array(0..<count) + extra).filter { $0 % 2 == Int64(partition) && !lost.contains($0) }
            #expect(messages.map(\.messageID) == expected, "\(what)", sourceLocation: sourceLocation)
            for message in messages {
                Fixture.verify(message, partition: partition, sourceLocation: sourceLocation)
                #expect(message.offset == message.messageID * 28, "offsets do not move", sourceLocation: sourceLocation)
            }
        }
    }

    static func indexEntry(_ path: String, _ ordinal: Int64) throws -> IndexEntry {
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { handle.closeFile() }
        handle.seek(toFileOffset: UInt64(ordinal * 32))
        let bytes = [UInt8](handle.readData(ofLength: 32))
        return try #require(bytes.withUnsafeBytes { raw in raw.baseAddress.flatMap { IndexEntry.read(from: $0) } })
    }

    static func flip(_ path: String, at offset: Int64, count: Int) {
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            Issue.record("cannot open \(path)")
            return
        }
        defer { handle.closeFile() }
        handle.seek(toFileOffset: UInt64(offset))
        let bytes = handle.readData(ofLength: count)
        handle.seek(toFileOffset: UInt64(offset))
        handle.write(Data(bytes.map { ~$0 }))
    }

    static func write(_ path: String, _ bytes: [UInt8], at offset: Int64) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        defer { handle.closeFile() }
        handle.seek(toFileOffset: UInt64(offset))
        handle.write(Data(bytes))
    }
}
