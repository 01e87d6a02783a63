import Foundation
import Logging
import NIOCore
import SystemPackage
import TubeMQStorage

/// A store in a temporary directory, removed on close.
struct ScratchStore {
    let path: String
    let store: MessageStore

    static func open(io: IOBackend) async throws -> ScratchStore {
        let path = NSTemporaryDirectory() + "tubemq-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let store = try await MessageStore.open(
            directory: FilePath(path),
            configuration: MessageStore.Configuration(io: io, ioThreads: 2, retentionInterval: nil),
            logger: logger
        )
        return ScratchStore(path: path, store: store)
    }

    func close() async {
        try? await store.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// One topic and one prepared batch, appended again and again.
final class AppendFixture: @unchecked Sendable {
    let io: IOBackend
    let acknowledgement: FlushPolicy.Acknowledgement
    let payloadSize: Int
    let batchCount: Int
    let blockBytes: Int
    private var scratch: ScratchStore?
    private var topic: TopicStore?
    private var batch: [AppendMessage] = []
    private var generation = 0

    init(
        io: IOBackend,
        acknowledgement: FlushPolicy.Acknowledgement,
        payloadSize: Int,
        batchCount: Int,
        blockBytes: Int = 8 << 20
    ) {
        self.io = io
        self.acknowledgement = acknowledgement
        self.payloadSize = payloadSize
        self.batchCount = batchCount
        self.blockBytes = blockBytes
    }

    func setUp() async throws {
        let scratch = try await ScratchStore.open(io: io)
        self.scratch = scratch
        try await openTopic()
        let payload = ByteBuffer(repeating: 0x5A, count: payloadSize)
        batch = (0..<batchCount).map { i in
            AppendMessage(partitionID: Int32(i % 2), messageID: Int64(i), typeHash: 0, payload: payload)
        }
    }

    private func openTopic() async throws {
        guard let scratch else { return }
        generation += 1
        // Flush when a block fills (or after an hour): the rate is set by the appends and the disk.
        let flush = FlushPolicy(
            acknowledgement: acknowledgement,
            messageThreshold: 0,
            byteThreshold: 0,
            interval: .seconds(3600)
        )
        topic = try await scratch.store.openTopic(
            "bench-\(generation)",
            configuration: TopicConfiguration(
                partitionsPerStore: 2,
                segmentBytes: 1 << 30,
                flush: flush,
                retention: RetentionPolicy(maxAge: nil, maxBytes: nil),
                memoryBlockBytes: blockBytes
            )
        )
    }

    func appendOneBatch() async throws {
        guard let topic else { return }
        _ = try await topic.append(batch)
    }

    /// Writes `megabytes` MiB in 1 MiB batches to a fresh topic and waits until it is synced.
    func writeSequentially(megabytes: Int) async throws {
        try await openTopic()
        guard let topic else { return }
        for _ in 0..<megabytes { _ = try await topic.append(batch) }
        try await topic.flush()
        try await scratch?.store.closeTopic(topic.name)
        if let scratch {
            try? FileManager.default.removeItem(atPath: scratch.path + "/topics/" + topic.name)
        }
    }

    func tearDown() async {
        await scratch?.close()
        scratch = nil
        topic = nil
    }
}

/// A partition of 1 KB messages, read 1 MiB at a time from the start, over and over.
final class ReadFixture: @unchecked Sendable {
    enum Source: String, CaseIterable {
        case memory
        case disk
    }

    let source: Source
    private var scratch: ScratchStore?
    private var topic: TopicStore?
    private var offset: Int64 = 0
    private var end: Int64 = 0

    init(source: Source) {
        self.source = source
    }

    func setUp() async throws {
        let scratch = try await ScratchStore.open(io: .uring)
        self.scratch = scratch
        let flush = FlushPolicy(
            acknowledgement: .memory,
            messageThreshold: 0,
            byteThreshold: 0,
            interval: .seconds(3600)
        )
        let topic = try await scratch.store.openTopic(
            "read",
            configuration: TopicConfiguration(partitionsPerStore: 1, flush: flush, memoryBlockBytes: 256 << 20)
        )
        let payload = ByteBuffer(repeating: 0x33, count: 1024)
        for batch in 0..<64 {
            let messages = (0..<1000).map { i in
                AppendMessage(partitionID: 0, messageID: Int64(batch * 1000 + i), payload: payload)
            }
            _ = try await topic.append(messages)
        }
        if source == .disk { try await topic.flush() }
        end = try await topic.offsetRange(partitionID: 0).max
        self.topic = topic
    }

    func readOneMegabyte() async throws -> Int {
        guard let topic else { return 0 }
        if offset >= end { offset = 0 }
        let result = try await topic.read(
            ReadRequest(partitionID: 0, offset: offset, maxBytes: 1 << 20, maxCount: 10_000)
        )
        offset = result.nextOffset
        return result.messages.count
    }

    func tearDown() async {
        await scratch?.close()
        scratch = nil
        topic = nil
    }
}
