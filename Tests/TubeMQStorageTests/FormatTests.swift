import Testing
import TubeMQCore

@testable import TubeMQStorage

@Suite struct FormatTests {
    @Test func recordHeadersRoundTripAndDetectDamage() throws {
        let header = RecordLayout.Header(
            entry: 107,
            messageID: 8_385_577_859_971_809_280,
            appendTime: 1_700_000_000_123,
            partitionID: 10001,
            flag: 1,
            checksum: 0x1234_5678,
            typeHash: "order".javaHashCode,
            payloadLength: 5
        )
        var bytes = [UInt8](repeating: 0, count: RecordLayout.headerSize)
        bytes.withUnsafeMutableBytes { RecordLayout.writeHeader(header, to: $0.baseAddress!) }
        #expect(bytes.withUnsafeBytes { RecordLayout.readHeader($0) } == header)
        for position in [0, 4, 9, 33, 51] {
            var damaged = bytes
            damaged[position] ^= 0x10
            #expect(damaged.withUnsafeBytes { RecordLayout.readHeader($0) } == nil, "flip at \(position)")
        }
        #expect(bytes.withUnsafeBytes { RecordLayout.readHeader(UnsafeRawBufferPointer(rebasing: $0[0..<51])) } == nil)
    }

    @Test func indexEntriesRoundTripAndDetectDamage() {
        let entry = IndexEntry(partitionID: 3, typeHash: -7, position: 1 << 33, appendTime: 42, recordLength: 152)
        var bytes = [UInt8](repeating: 0, count: IndexEntry.size)
        bytes.withUnsafeMutableBytes { entry.write(to: $0.baseAddress!) }
        #expect(bytes.withUnsafeBytes { IndexEntry.read(from: $0.baseAddress!) } == entry)
        var zeroed = [UInt8](repeating: 0, count: IndexEntry.size)
        #expect(zeroed.withUnsafeBytes { IndexEntry.read(from: $0.baseAddress!) } == nil, "a zeroed entry is invalid")
        zeroed = bytes
        zeroed[12] ^= 1
        #expect(zeroed.withUnsafeBytes { IndexEntry.read(from: $0.baseAddress!) } == nil)
    }

    @Test func offsetsAreEntryNumbersTimesTwentyEight() {
        #expect(StorageOffset.offset(ofEntry: 107) == 2996)
        #expect(StorageOffset.entry(atOffset: 2996) == 107)
        #expect(StorageOffset.entry(atOffset: 3000) == 107)
    }

    @Test func segmentNamesSortNumerically() {
        #expect(SegmentName.data(4096) == "00000000000000004096.data")
        #expect(SegmentName.base(of: "00000000000000004096.index", suffix: ".index") == 4096)
        #expect(SegmentName.base(of: "4096.index", suffix: ".index") == nil)
        #expect(SegmentName.base(of: "0000000000000000409x.index", suffix: ".index") == nil)
    }

    @Test func checkpointsAndOffsetRecordsRoundTrip() {
        let checkpoint = Checkpoint(segmentBase: 4096, entries: 12, bytes: 9000)
        let encoded = checkpoint.encoded()
        #expect(encoded.withUnsafeBytes { Checkpoint.decode($0) } == checkpoint)
        var damaged = encoded
        damaged[5] ^= 1
        #expect(damaged.withUnsafeBytes { Checkpoint.decode($0) } == nil)

        let record = OffsetLogRecord(key: OffsetStore.Key(group: "gröup", topic: "t", partitionID: 10001), offset: 2996)
        var bytes: [UInt8] = []
        record.encode(into: &bytes)
        let decoded = bytes.withUnsafeBytes { OffsetLogRecord.decode($0) }
        #expect(decoded?.0 == record)
        #expect(decoded?.1 == bytes.count)
        #expect(
            bytes.withUnsafeBytes { OffsetLogRecord.decode(UnsafeRawBufferPointer(rebasing: $0.dropLast())) } == nil
        )
    }
}
