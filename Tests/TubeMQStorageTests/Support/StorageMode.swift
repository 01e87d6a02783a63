import Logging
import NIOCore
import SystemPackage
import Testing
import TubeMQCore

@testable import TubeMQStorage

/// One I/O backend × flush policy combination; storage tests run over all of them.
struct StorageMode: Sendable, CustomTestStringConvertible {
    let io: IOBackend
    let acknowledgement: FlushPolicy.Acknowledgement

    static let all: [StorageMode] = IOBackend.allCases.flatMap { io in
        FlushPolicy.Acknowledgement.allCases.map { StorageMode(io: io, acknowledgement: $0) }
    }

    var testDescription: String { "\(io)/\(acknowledgement)" }

    /// A flush policy of this mode; under `.memory` nothing is flushed until asked (or a block fills).
    var flush: FlushPolicy {
        FlushPolicy(acknowledgement: acknowledgement, messageThreshold: 0, byteThreshold: 0, interval: .seconds(3600))
    }

    func topic(
        stores: Int = 1,
        partitions: Int = 2,
        segmentBytes: Int64 = 1 << 30,
        memoryBlockBytes: Int = 4 << 20,
        retention: RetentionPolicy = RetentionPolicy()
    ) -> TopicConfiguration {
        TopicConfiguration(
            storeCount: stores,
            partitionsPerStore: partitions,
            segmentBytes: segmentBytes,
            flush: flush,
            retention: retention,
            memoryBlockBytes: memoryBlockBytes
        )
    }

    func openStore(
        _ directory: TemporaryDirectory,
        clock: any StorageClock = SystemStorageClock(),
        io override: (any StorageIO)? = nil,
        logger given: Logger? = nil
    ) async throws -> MessageStore {
        let configuration = MessageStore.Configuration(io: io, ioThreads: 2, clock: clock, retentionInterval: nil)
        let logger = given ?? Logger(label: "tubemq.storage.test") { _ in SwiftLogNoOpLogHandler() }
        if let override {
            return try await MessageStore.open(
                directory: FilePath(directory.path),
                configuration: configuration,
                io: override,
                logger: logger
            )
        }
        return try await MessageStore.open(
            directory: FilePath(directory.path),
            configuration: configuration,
            logger: logger
        )
    }
}

/// Deterministic test messages: the payload of message `id` is derived from `id` alone.
enum Fixture {
    static func payload(id: Int64, size: Int) -> [UInt8] {
        var state = UInt64(bitPattern: id) &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<size).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// Sizes vary with the id so records do not all line up.
    static func size(id: Int64, base: Int = 100) -> Int { base + Int(id % 97) }

    static func message(id: Int64, partition: Int32, typeHash: Int32 = 0, size: Int? = nil) -> AppendMessage {
        AppendMessage(
            partitionID: partition,
            messageID: id,
            flag: Int32(id % 2),
            typeHash: typeHash,
            bytes: payload(id: id, size: size ?? Self.size(id: id))
        )
    }

    /// Reads every message of `partition` from `offset` to the end.
    static func readAll(
        _ topic: TopicStore,
        partition: Int32,
        from offset: Int64 = 0,
        typeHashes: Set<Int32>? = nil,
        maxCount: Int = 1000
    ) async throws -> [StoredMessage] {
        var messages: [StoredMessage] = []
        var next = offset
        while true {
            let result = try await topic.read(
                ReadRequest(
                    partitionID: partition,
                    offset: next,
                    maxBytes: 1 << 20,
                    maxCount: maxCount,
                    typeHashes: typeHashes
                )
            )
            messages += result.messages
            if result.nextOffset >= result.range.max { return messages }
            guard result.nextOffset > next else {
                Issue.record("read at \(next) made no progress")
                return messages
            }
            next = result.nextOffset
        }
    }

    /// Checks that `message` is exactly the fixture message it claims to be.
    static func verify(_ message: StoredMessage, partition: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = payload(id: message.messageID, size: size(id: message.messageID))
        #expect(message.partitionID == partition, sourceLocation: sourceLocation)
        #expect(Array(buffer: message.payload) == expected, sourceLocation: sourceLocation)
        #expect(message.flag == Int32(message.messageID % 2), sourceLocation: sourceLocation)
        #expect(message.checksum == CRC32.tubeChecksum(expected), sourceLocation: sourceLocation)
    }
}
