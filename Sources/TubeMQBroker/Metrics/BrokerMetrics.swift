import Metrics
public import Prometheus
import Synchronization
import TubeMQWire

/// The broker's metrics, recorded with swift-metrics into a Prometheus registry of its own (one per
/// broker, so brokers sharing a process keep separate `/metrics`). Names are listed in
/// `docs/metrics.md`.
///
/// The hot path pays one lookup per append group or fetch (``topic(_:)``, no allocation once the
/// topic has its counters) and atomic increments; latencies are recorded once per append group and
/// once per flush job, never per message. Gauges (disk bytes, memory blocks, connections, consumers,
/// lag) are computed when `/metrics` is read (``BrokerServer/metricsText()``).
public final class BrokerMetrics: Sendable {
    /// The registry `/metrics` is rendered from.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    /// Time of one storage append call (one append group of a batch).
    let appendLatency: Metrics.Timer
    /// Time of one flush job (writes, and the sync of a syncing job), TubeMQ's `cache_flush_dlt`.
    let flushLatency: Metrics.Timer
    /// Open RPC connections.
    let connections: Meter
    /// Consumers holding partitions on this broker (TubeMQ's `consumer_online_cnt`).
    let consumersOnline: Meter
    private let topics = Mutex<[String: TopicCounters]>([:])
    private let replies = Mutex<[ReplyKey: Metrics.Counter]>([:])
    let gauges = Mutex<ScrapeGauges>(ScrapeGauges())

    /// Creates the metrics of one broker, in a registry of their own.
    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(5),
        ]
        self.registry = registry
        self.factory = factory
        appendLatency = Metrics.Timer(label: BrokerMetricName.appendLatency, factory: factory)
        flushLatency = Metrics.Timer(label: BrokerMetricName.flushLatency, factory: factory)
        connections = Meter(label: BrokerMetricName.connections, factory: factory)
        consumersOnline = Meter(label: BrokerMetricName.consumersOnline, factory: factory)
    }

    /// The counters of `topic`, created on first use.
    func topic(_ name: String) -> TopicCounters {
        if let counters = topics.withLock({ $0[name] }) { return counters }
        let made = TopicCounters(topic: name, factory: factory)
        return topics.withLock { topics in
            if let existing = topics[name] { return existing }
            topics[name] = made
            return made
        }
    }

    /// Drops the counters of a topic removed from this broker: its series leave `/metrics` (they stayed
    /// for ever, 544 → 832 lines over a soak of topics added and removed). A topic added again later
    /// counts from zero, as Prometheus expects of a new series.
    func removeTopic(_ name: String) {
        guard let counters = topics.withLock({ $0.removeValue(forKey: name) }) else { return }
        counters.destroy()
    }

    /// Counts `count` replies of `method` with `errCode`.
    func countReplies(method: Int32, errCode: Int32, count: Int = 1) {
        let key = ReplyKey(method: method, errCode: errCode)
        let counter =
            replies.withLock { $0[key] }
            ?? replies.withLock { replies in
                if let existing = replies[key] { return existing }
                let made = Metrics.Counter(
                    label: BrokerMetricName.replies,
                    dimensions: [
                        ("method", RPCMethod.withID(method)?.name ?? String(method)), ("errCode", String(errCode)),
                    ],
                    factory: factory
                )
                replies[key] = made
                return made
            }
        counter.increment(by: count)
    }

    /// Renders the registry in the Prometheus text format.
    public func exposition() -> String { registry.emitToString() }
}

/// The per-topic counters of a broker.
final class TopicCounters: Sendable {
    let messagesIn: Metrics.Counter
    let bytesIn: Metrics.Counter
    let messagesOut: Metrics.Counter
    let bytesOut: Metrics.Counter
    let flushedBytes: Metrics.Counter
    let flushedMessages: Metrics.Counter

    init(topic: String, factory: PrometheusMetricsFactory) {
        let dimensions = [("topic", topic)]
        messagesIn = Metrics.Counter(label: BrokerMetricName.messagesIn, dimensions: dimensions, factory: factory)
        bytesIn = Metrics.Counter(label: BrokerMetricName.bytesIn, dimensions: dimensions, factory: factory)
        messagesOut = Metrics.Counter(label: BrokerMetricName.messagesOut, dimensions: dimensions, factory: factory)
        bytesOut = Metrics.Counter(label: BrokerMetricName.bytesOut, dimensions: dimensions, factory: factory)
        flushedBytes = Metrics.Counter(label: BrokerMetricName.flushedBytes, dimensions: dimensions, factory: factory)
        flushedMessages = Metrics.Counter(
            label: BrokerMetricName.flushedMessages,
            dimensions: dimensions,
            factory: factory
        )
    }

    /// Removes the counters from the registry.
    func destroy() {
        for counter in [messagesIn, bytesIn, messagesOut, bytesOut, flushedBytes, flushedMessages] { counter.destroy() }
    }
}

/// A reply counter's labels.
struct ReplyKey: Hashable {
    let method: Int32
    let errCode: Int32
}
