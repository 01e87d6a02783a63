import Metrics
public import Prometheus
import Synchronization
import TubeMQCore
import TubeMQWire

/// The broker's metrics, recorded with swift-metrics into a Prometheus registry of its own (one per
/// broker, so brokers sharing a process keep separate `/metrics`). Names are listed in
/// `docs/metrics.md`.
///
/// The hot path pays one lookup per append group or fetch (``topic(_:)``, no allocation once the
/// topic has its counters) and atomic increments; latencies are recorded once per append group and
/// once per flush job, never per message. Gauges (disk bytes, memory blocks, connections, consumers,
/// lag) are computed when `/metrics` is read (``BrokerServer/metricsText()``). Beside the Prometheus
/// series it keeps resettable totals and latency summaries for `admin_get_metrics_info`, and the
/// switches of `admin_enable_stats` / `admin_disable_stats` (`BrokerMetrics+Stats.swift`).
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
    let topics = Mutex<[String: TopicCounters]>([:])
    private let replies = Mutex<[ReplyKey: Metrics.Counter]>([:])
    let gauges = Mutex<ScrapeGauges>(ScrapeGauges())
    /// The statistics switches and what `admin_get_metrics_info` reports.
    let stats: Mutex<BrokerStatsState>
    /// Whether appends and flush jobs are timed (`serviceStatus`), read without the lock on the hot path.
    let timesService = Atomic<Bool>(true)
    private let clock: @Sendable () -> Int64

    /// Creates the metrics of one broker, in a registry of their own.
    ///
    /// - Parameter clock: the wall clock in ms since the epoch, for the statistics' reset times; the
    ///   system's when `nil`.
    public init(clock: (@Sendable () -> Int64)? = nil) {
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
        let clock = clock ?? { SystemWallClock().now() }
        self.clock = clock
        stats = Mutex(BrokerStatsState(now: clock()))
    }

    /// The current wall-clock time in ms since the epoch (of the clock the metrics were made with).
    public var now: Int64 { clock() }

    /// Every topic's counters, by topic name.
    var allTopics: [(String, TopicCounters)] { topics.withLock { $0.sorted { $0.key < $1.key } } }

    /// The counters of `topic`, created on first use (counting unless `msgStore` statistics were
    /// last switched off for every topic).
    func topic(_ name: String) -> TopicCounters {
        if let counters = topics.withLock({ $0[name] }) { return counters }
        let made = TopicCounters(topic: name, factory: factory)
        return topics.withLock { topics in
            if let existing = topics[name] { return existing }
            made.isEnabled = stats.withLock { $0.newTopicsOn }
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
    let messagesIn: StatCounter
    let bytesIn: StatCounter
    let messagesOut: StatCounter
    let bytesOut: StatCounter
    let flushedBytes: StatCounter
    let flushedMessages: StatCounter
    private let enabled = Atomic<Bool>(true)

    init(topic: String, factory: PrometheusMetricsFactory) {
        messagesIn = StatCounter(label: BrokerMetricName.messagesIn, topic: topic, factory: factory)
        bytesIn = StatCounter(label: BrokerMetricName.bytesIn, topic: topic, factory: factory)
        messagesOut = StatCounter(label: BrokerMetricName.messagesOut, topic: topic, factory: factory)
        bytesOut = StatCounter(label: BrokerMetricName.bytesOut, topic: topic, factory: factory)
        flushedBytes = StatCounter(label: BrokerMetricName.flushedBytes, topic: topic, factory: factory)
        flushedMessages = StatCounter(label: BrokerMetricName.flushedMessages, topic: topic, factory: factory)
    }

    /// Whether the topic's `msgStore` statistics count.
    var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }

    /// Counts `messages` appended, of `bytes` payload bytes.
    func recordIn(messages: Int, bytes: Int) {
        guard isEnabled else { return }
        messagesIn.increment(by: messages)
        bytesIn.increment(by: bytes)
    }

    /// Counts `messages` returned to a consumer, of `bytes` payload bytes.
    func recordOut(messages: Int, bytes: Int) {
        guard isEnabled else { return }
        messagesOut.increment(by: messages)
        bytesOut.increment(by: bytes)
    }

    /// Counts `messages` written to the files, of `bytes` record bytes.
    func recordFlushed(messages: Int64, bytes: Int64) {
        guard isEnabled else { return }
        flushedMessages.increment(by: messages)
        flushedBytes.increment(by: bytes)
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
