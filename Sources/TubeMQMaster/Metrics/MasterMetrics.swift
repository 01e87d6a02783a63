import Metrics
public import Prometheus
import Synchronization
import TubeMQMasterState
import TubeMQRPC
import TubeMQWire

/// The master's metrics, recorded with swift-metrics into a Prometheus registry of its own (one per
/// ``Master``, so masters sharing a process keep separate `/metrics`). Names are listed in
/// `docs/metrics.md`; the gauges are set from the state when `/metrics` is read (``Master/metricsText()``).
public final class MasterMetrics: Sendable {
    /// The registry `/metrics` is rendered from.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let rebalances: Metrics.Counter
    let rebalanceEvents: Metrics.Counter
    let brokersConfigured: Meter
    let brokersOnline: Meter
    let topics: Meter
    let groups: Meter
    let consumers: Meter
    let producers: Meter
    private let calls = Mutex<[CallKey: Metrics.Counter]>([:])

    /// Creates the metrics of one master, in a registry of their own.
    public init() {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        self.registry = registry
        self.factory = factory
        rebalances = Metrics.Counter(label: MasterMetricName.rebalances, factory: factory)
        rebalanceEvents = Metrics.Counter(label: MasterMetricName.rebalanceEvents, factory: factory)
        brokersConfigured = Meter(label: MasterMetricName.brokersConfigured, factory: factory)
        brokersOnline = Meter(label: MasterMetricName.brokersOnline, factory: factory)
        topics = Meter(label: MasterMetricName.topics, factory: factory)
        groups = Meter(label: MasterMetricName.groups, factory: factory)
        consumers = Meter(label: MasterMetricName.consumers, factory: factory)
        producers = Meter(label: MasterMetricName.producers, factory: factory)
    }

    /// Counts one answered call of `method`: the reply's errCode, or `-1` for an exception.
    func countCall(_ method: RPCMethod, outcome: Result<any ReplyErrorCode, any Error>) {
        let code: Int32
        switch outcome {
        case .success(let reply): code = reply.errCode
        case .failure: code = -1
        }
        let key = CallKey(method: method.id, errCode: code)
        let counter =
            calls.withLock { $0[key] }
            ?? calls.withLock { calls in
                if let existing = calls[key] { return existing }
                let made = Metrics.Counter(
                    label: MasterMetricName.rpcCalls,
                    dimensions: [("method", method.name), ("errCode", String(code))],
                    factory: factory
                )
                calls[key] = made
                return made
            }
        counter.increment()
    }

    /// Counts a balance round that planned `events` rebalance events.
    func countBalance(events: Int) {
        guard events > 0 else { return }
        rebalances.increment()
        rebalanceEvents.increment(by: events)
    }

    /// Sets the gauges from the master's state.
    func update(from state: MasterState) {
        let brokers = state.brokers
        brokersConfigured.set(brokers.count)
        brokersOnline.set(brokers.filter { $0.runState == .online }.count)
        topics.set(Set(state.topics.map(\.name)).count)
        let groups = state.groups.filter { !$0.members.isEmpty }
        self.groups.set(groups.count)
        consumers.set(groups.reduce(0) { $0 + $1.members.count })
        producers.set(state.producers.count)
    }

    /// Renders the registry in the Prometheus text format.
    public func exposition() -> String { registry.emitToString() }
}

/// A call counter's labels.
private struct CallKey: Hashable {
    let method: Int32
    let errCode: Int32
}
