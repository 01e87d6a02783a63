import Metrics
import Prometheus
import Synchronization

/// The statistics `admin_enable_stats` and `admin_disable_stats` switch (TubeMQ's `BrokerStatsType`).
public enum BrokerStatsType: String, CaseIterable, Sendable {
    /// Every kind below.
    case all
    /// The latencies of appends and flush jobs (TubeMQ's disk-sync statistics).
    case serviceStatus
    /// The webapi calls, per method.
    case webAPI
    /// The per-topic message counters: in, out and flushed.
    case msgStore

    /// The type called `name`, in any case (TubeMQ compares ignoring case); `nil` for no type.
    public init?(named name: String) {
        guard let type = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            return nil
        }
        self = type
    }
}

/// A latency as TubeMQ's `ESTHistogram` reports it: count, min and max in ms, and a count per
/// power-of-two cell (`cell_0t2`, `cell_2t4`, … `cell_131072tMax`).
public struct LatencySummary: Sendable, Hashable {
    /// How many were recorded.
    public private(set) var count: Int64 = 0
    /// The shortest, in ms (0 when none).
    public private(set) var min: Int64 = 0
    /// The longest, in ms (0 when none).
    public private(set) var max: Int64 = 0
    /// The count of each cell, by cell index.
    public private(set) var cells = [Int64](repeating: 0, count: LatencySummary.cellCount)

    /// The number of cells: the last holds every value of 2^17 ms and more.
    public static let cellCount = 18

    /// Creates an empty summary.
    public init() {}

    /// Adds one value, in ms.
    mutating func record(_ millis: Int64) {
        min = count == 0 ? millis : Swift.min(min, millis)
        max = count == 0 ? millis : Swift.max(max, millis)
        count += 1
        let index = millis <= 1 ? 0 : Swift.min(Self.cellCount - 1, Int64.bitWidth - 1 - millis.leadingZeroBitCount)
        cells[index] += 1
    }

    /// The name of cell `index`: its bounds in ms, `cell_<from>t<to>`.
    public static func cellName(_ index: Int) -> String {
        let from = index == 0 ? 0 : 1 << index
        return index == cellCount - 1 ? "cell_\(from)tMax" : "cell_\(from)t\(1 << (index + 1))"
    }
}

/// What the broker's statistics hold since their last reset (`admin_get_metrics_info`).
public struct BrokerStatsReport: Sendable {
    /// The service statistics (TubeMQ's `serviceStatus`).
    public struct ServiceStatus: Sendable {
        /// When they were last reset, in ms since the epoch.
        public var resetTime: Int64
        /// Whether `serviceStatus` statistics are switched off.
        public var isClosed: Bool
        /// Flush jobs: the write of a memory block and its sync (TubeMQ's `file_sync_dlt`).
        public var fileSync: LatencySummary
        /// Storage appends, one per append group of a batch of sends.
        public var append: LatencySummary
        /// Consumers holding partitions now (not reset).
        public var consumersOnline: Int
        /// Open RPC connections now (not reset).
        public var connections: Int
    }

    /// The webapi call statistics (TubeMQ's `webAPI`).
    public struct WebCalls: Sendable {
        /// When they were last reset, in ms since the epoch.
        public var resetTime: Int64
        /// Whether `webAPI` statistics are switched off.
        public var isClosed: Bool
        /// Every call.
        public var calls: LatencySummary
        /// The calls of each method, by method name.
        public var methods: [(method: String, calls: LatencySummary)]
    }

    /// One topic's message counters (`msgStore`).
    public struct TopicTotals: Sendable, Hashable {
        /// The topic.
        public var topic: String
        /// Whether its `msgStore` statistics are switched off.
        public var isClosed: Bool
        /// Messages appended.
        public var messagesIn: Int64
        /// Payload bytes appended.
        public var bytesIn: Int64
        /// Messages returned to consumers.
        public var messagesOut: Int64
        /// Payload bytes returned to consumers.
        public var bytesOut: Int64
        /// Messages written from memory blocks to the files.
        public var flushedMessages: Int64
        /// Record bytes written from memory blocks to the files.
        public var flushedBytes: Int64
    }

    /// The service statistics.
    public var serviceStatus: ServiceStatus
    /// The webapi call statistics.
    public var webAPI: WebCalls
    /// The per-topic counters, by topic name.
    public var topics: [TopicTotals]
}

/// The switches and the resettable statistics of ``BrokerMetrics`` beside its Prometheus series: a
/// switched-off kind is neither counted in `/metrics` nor in `admin_get_metrics_info`.
struct BrokerStatsState: Sendable {
    var serviceStatusOn = true
    var webAPIOn = true
    /// Whether a topic whose counters are created from now on counts (the last all-topics switch).
    var newTopicsOn = true
    var serviceResetTime: Int64
    var webResetTime: Int64
    var fileSync = LatencySummary()
    var append = LatencySummary()
    var webCalls = LatencySummary()
    var webMethods: [String: LatencySummary] = [:]

    init(now: Int64) {
        serviceResetTime = now
        webResetTime = now
    }
}

/// A Prometheus counter with a running total that `admin_get_metrics_info` reads and may reset (the
/// Prometheus series itself only grows).
final class StatCounter: Sendable {
    let counter: Metrics.Counter
    private let total = Atomic<Int64>(0)

    init(label: String, topic: String, factory: PrometheusMetricsFactory) {
        counter = Metrics.Counter(label: label, dimensions: [("topic", topic)], factory: factory)
    }

    /// Counts `amount`.
    func increment(by amount: some BinaryInteger) {
        counter.increment(by: Int64(amount))
        total.add(Int64(amount), ordering: .relaxed)
    }

    /// The total since the last reset; with `reset`, starts the next total at zero.
    func read(reset: Bool) -> Int64 {
        reset ? total.exchange(0, ordering: .relaxed) : total.load(ordering: .relaxed)
    }

    /// Removes the series from the registry.
    func destroy() { counter.destroy() }
}
