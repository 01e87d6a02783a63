import Synchronization

/// The switches of `admin_enable_stats`, `admin_disable_stats` and `admin_disable_all_stats`, the
/// webapi call statistics, and the report of `admin_get_metrics_info`.
extension BrokerMetrics {
    /// Switches the statistics of `type` on or off; for `msgStore` (and `all`) only those of
    /// `topics`, or of every topic, those created later included, when `topics` is empty.
    ///
    /// Switched off, a kind stops counting in `/metrics` and in ``report(reset:)``: the append and
    /// flush latencies (`serviceStatus`), the webapi calls (`webAPI`), a topic's messages in, out and
    /// flushed (`msgStore`).
    public func setStats(_ type: BrokerStatsType, enabled: Bool, topics names: [String] = []) {
        if type == .all || type == .serviceStatus {
            timesService.store(enabled, ordering: .relaxed)
            stats.withLock { $0.serviceStatusOn = enabled }
        }
        if type == .all || type == .webAPI {
            stats.withLock { $0.webAPIOn = enabled }
        }
        guard type == .all || type == .msgStore else { return }
        if names.isEmpty {
            // Under the topics' lock, so that a topic created meanwhile takes the new default.
            topics.withLock { topics in
                stats.withLock { $0.newTopicsOn = enabled }
                for counters in topics.values { counters.isEnabled = enabled }
            }
        } else {
            for name in names { topic(name).isEnabled = enabled }
        }
    }

    /// Records one webapi call of `method` that took `duration` (unless `webAPI` is off).
    public func recordWebCall(method: String, duration: Duration) {
        let millis = duration.nanoseconds / 1_000_000
        stats.withLock { stats in
            guard stats.webAPIOn else { return }
            stats.webCalls.record(millis)
            stats.webMethods[method, default: LatencySummary()].record(millis)
        }
    }

    /// The statistics since their last reset; with `reset`, starts them again from zero (TubeMQ's
    /// `needRefresh`). The Prometheus series are never reset. `consumersOnline` and `connections` are
    /// left 0 for the broker to fill in.
    public func report(reset: Bool) -> BrokerStatsReport {
        let now = self.now
        let state = stats.withLock { stats in
            let current = stats
            if reset {
                stats.fileSync = LatencySummary()
                stats.append = LatencySummary()
                stats.webCalls = LatencySummary()
                stats.webMethods = [:]
                stats.serviceResetTime = now
                stats.webResetTime = now
            }
            return current
        }
        let topics = allTopics.map { name, counters in
            BrokerStatsReport.TopicTotals(
                topic: name,
                isClosed: !counters.isEnabled,
                messagesIn: counters.messagesIn.read(reset: reset),
                bytesIn: counters.bytesIn.read(reset: reset),
                messagesOut: counters.messagesOut.read(reset: reset),
                bytesOut: counters.bytesOut.read(reset: reset),
                flushedMessages: counters.flushedMessages.read(reset: reset),
                flushedBytes: counters.flushedBytes.read(reset: reset)
            )
        }
        return BrokerStatsReport(
            serviceStatus: BrokerStatsReport.ServiceStatus(
                resetTime: state.serviceResetTime,
                isClosed: !state.serviceStatusOn,
                fileSync: state.fileSync,
                append: state.append,
                consumersOnline: 0,
                connections: 0
            ),
            webAPI: BrokerStatsReport.WebCalls(
                resetTime: state.webResetTime,
                isClosed: !state.webAPIOn,
                calls: state.webCalls,
                methods: state.webMethods.sorted { $0.key < $1.key }.map { (method: $0.key, calls: $0.value) }
            ),
            topics: topics
        )
    }
}
