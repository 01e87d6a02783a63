import Histogram
import Logging
import TubeMQClient

/// A bench consumer: a push consumer (a message at a time) or a pull consumer (a batch at a time,
/// each confirmed with a commit call).
enum BenchConsumer: Sendable {
    case push(PushConsumer)
    case pull(PullConsumer)

    /// Joins the group as a pull consumer when `pull`, else as a push consumer.
    static func start(
        pull: Bool,
        configuration: Consumer.Configuration,
        logger: Logger
    ) async throws(ClientError) -> BenchConsumer {
        if pull { return .pull(try await PullConsumer(configuration: configuration, logger: logger)) }
        return .push(try await PushConsumer(configuration: configuration, logger: logger))
    }

    func assignedPartitions() async -> Int {
        switch self {
        case .push(let consumer): await consumer.assignedPartitions().count
        case .pull(let consumer): await consumer.assignedPartitions().count
        }
    }

    /// The consumer's event-loop executor (see ``PushConsumer/executor``).
    var executor: any TaskExecutor {
        switch self {
        case .push(let consumer): consumer.executor
        case .pull(let consumer): consumer.executor
        }
    }

    func shutdown() async {
        switch self {
        case .push(let consumer): await consumer.shutdown()
        case .pull(let consumer): await consumer.shutdown()
        }
    }

    /// Counts (and, with `latency`, times end to end from the timestamp in the body) every message
    /// delivered, until cancelled; the latencies are merged into `stats` when the loop ends, so the
    /// caller awaits this task before reading them.
    func receive(stats: BenchStats, latency: Bool) async {
        var recorder = LatencyRecorder(stats: stats, latency: latency)
        do {
            switch self {
            case .push(let consumer):
                for try await message in consumer { recorder.record(message) }
            case .pull(let consumer):
                for try await batch in consumer {
                    for message in batch.messages { recorder.record(message) }
                    try await batch.confirm()
                }
            }
        } catch {}
        stats.mergeReceive(recorder.histogram)
    }
}

/// Counts received messages into ``BenchStats`` and keeps their latency histogram.
private struct LatencyRecorder {
    let stats: BenchStats
    let latency: Bool
    var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var first = true

    mutating func record(_ message: ConsumedMessage) {
        if first {
            stats.markFirstReceive()
            first = false
        }
        if latency {
            let body = message.body
            if body.count >= 8 {
                let sentAt = body[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                _ = histogram.record((BenchClock.nanos() &- sentAt) / 1000)
            }
        }
        stats.received.add(1, ordering: .relaxed)
    }
}
