import Foundation
import Logging
import NIOCore
import SystemPackage
import TubeMQStorage

/// Concurrent appenders on one storage instance, as a broker's connections are: each of
/// `appenders` tasks appends single 1 KB messages, one call at a time. Under `.disk` every call
/// waits for its fdatasync, so what the run shows is how many appends share one (group commit).
///
/// Shared by the `append/1KB/...-appenders` benchmarks and the `group-commit` figure printer.
final class GroupCommitFixture: @unchecked Sendable {
    let io: IOBackend
    let acknowledgement: FlushPolicy.Acknowledgement
    let appenders: Int
    let payloadSize: Int
    private var scratch: ScratchStore?
    private var topic: TopicStore?
    private var message: AppendMessage?

    init(io: IOBackend, acknowledgement: FlushPolicy.Acknowledgement, appenders: Int, payloadSize: Int = 1024) {
        self.io = io
        self.acknowledgement = acknowledgement
        self.appenders = appenders
        self.payloadSize = payloadSize
    }

    func setUp() async throws {
        let scratch = try await ScratchStore.open(io: io)
        self.scratch = scratch
        // TubeMQ's default thresholds (1,000 messages or 10 s); only the acknowledgement differs.
        let flush = FlushPolicy(acknowledgement: acknowledgement, messageThreshold: 1000, interval: .seconds(10))
        topic = try await scratch.store.openTopic(
            "group-commit",
            configuration: TopicConfiguration(
                partitionsPerStore: 2,
                flush: flush,
                retention: RetentionPolicy(maxAge: nil, maxBytes: nil)
            )
        )
        message = AppendMessage(
            partitionID: 0,
            messageID: 0,
            typeHash: 0,
            payload: ByteBuffer(repeating: 0x5A, count: payloadSize)
        )
    }

    /// Every appender appends `perAppender` messages; returns the messages appended.
    @discardableResult
    func run(perAppender: Int) async throws -> Int {
        guard let topic, let message else { return 0 }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<appenders {
                group.addTask {
                    for _ in 0..<perAppender { _ = try await topic.append([message]) }
                }
            }
            try await group.waitForAll()
        }
        return appenders * perAppender
    }

    /// The flusher's counters so far.
    func statistics() async throws -> FlushStatistics {
        guard let topic else { return FlushStatistics() }
        return try await topic.instance(forPartition: 0).flushStatistics
    }

    func tearDown() async {
        await scratch?.close()
        scratch = nil
        topic = nil
    }
}
